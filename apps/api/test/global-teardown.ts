import { Client } from 'pg';

import { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV } from './support/test-server';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env[TEST_SERVER_URL_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (serverUrl && template) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await globalThis.__integrixsEmbedded?.stop();
  globalThis.__integrixsEmbedded = undefined;
  delete process.env[TEST_TEMPLATE_ENV];
}
