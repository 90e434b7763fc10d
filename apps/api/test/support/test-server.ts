/**
 * Where the test PostgreSQL server is and which migrated template database to clone.
 * Set by global-setup.ts (as environment variables, which Jest passes on to its workers).
 */
export const TEST_SERVER_URL_ENV = 'INTEGRIXS_TEST_SERVER_URL';
export const TEST_TEMPLATE_ENV = 'INTEGRIXS_TEST_TEMPLATE';

export function testServerUrl(): string {
  const url = process.env[TEST_SERVER_URL_ENV];
  if (!url)
    throw new Error(
      `${TEST_SERVER_URL_ENV} is not set: run the tests through jest (global-setup.ts)`,
    );
  return url;
}

export function testTemplateName(): string {
  const name = process.env[TEST_TEMPLATE_ENV];
  if (!name)
    throw new Error(
      `${TEST_TEMPLATE_ENV} is not set: run the tests through jest (global-setup.ts)`,
    );
  return name;
}

/** The same server URL pointing at another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
