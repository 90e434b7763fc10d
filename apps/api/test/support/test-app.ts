import { randomBytes } from 'node:crypto';

import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type InjectOptions, type Response as InjectResponse } from 'light-my-request';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';

import { type Role } from '@integrixs/domain';

import { createApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig, type LogLevel } from '../../src/core/config/app-config';
import { SecretBox } from '../../src/core/crypto/secret-box';
import { createRootLogger } from '../../src/core/logging/logger';
import { AccessTokens } from '../../src/identity/access-tokens';
import { MembersService } from '../../src/identity/members.service';
import { SessionsService } from '../../src/identity/sessions.service';
import { newTotpSecret } from '../../src/identity/totp';
import { UsersService } from '../../src/identity/users.service';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A user the test signed up, with a ready access token. */
export interface TestUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly role: Role;
  /** TOTP secret when MFA is enrolled. */
  readonly mfaSecret: string | null;
  /** Access token of a fresh session (MFA-confirmed now when `mfaSecret` is set). */
  readonly token: string;
}

export interface TestUserOptions {
  role: Role;
  username?: string;
  password?: string;
  /** Enrol MFA (default: true for administrators, who need it). */
  mfa?: boolean;
  /** Package memberships to create. */
  packages?: Record<string, Role>;
}

export type TestRequest = InjectOptions & {
  /** Whose token to send (default: the test's administrator); null sends none. */
  as?: TestUser | null;
};

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly db: TestDatabase;
  readonly config: AppConfig;
  /** A global administrator with MFA, signed in (the default caller). */
  readonly admin: TestUser;
  /** In-process HTTP request (no socket): fast, and exercises the full Fastify + Nest stack. */
  request(options: TestRequest): Promise<InjectResponse>;
  createUser(options: TestUserOptions): Promise<TestUser>;
  /** Listens on a free localhost port and returns its base URL (for real clients: fetch, a browser). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<AppConfig>;
  /** Use this database instead of a fresh clone (e.g. a server the test restarts). */
  databaseUrl?: string;
  /** Log through this logger instead of the configured one (e.g. to scan what is logged). */
  logger?: Logger;
}

export const TEST_ADMIN_PASSWORD = 'test-root-password-0123';

/** Test keys: fixed per process, so tokens minted by one app are valid in another of the same run. */
const TEST_KEYS = {
  jwtSecret: randomBytes(48).toString('base64url'),
  encryptionKey: randomBytes(32).toString('base64'),
};

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      INTEGRIXS_SEED_DEMO: 'false',
      INTEGRIXS_WEB_DIST: '/nonexistent',
    }),
    logLevel: (process.env['TEST_LOG_LEVEL'] as LogLevel | undefined) ?? 'silent',
    ...TEST_KEYS,
    adminPassword: TEST_ADMIN_PASSWORD,
    ...overrides,
  };
}

/** The real application on its own fresh database, configured for tests (quiet logs, no demo). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = testConfig(options.config);
  const app = await createApp(
    config,
    options.databaseUrl ?? db.url,
    options.logger ?? createRootLogger(config.logLevel),
  );
  let counter = 0;

  const createUser = async (userOptions: TestUserOptions): Promise<TestUser> => {
    const users = app.get(UsersService);
    const members = app.get(MembersService);
    const dataSource = app.get(DataSource);
    const username =
      userOptions.username ??
      `${userOptions.role.toLowerCase()}-${++counter}-${randomBytes(3).toString('hex')}`;
    const password = userOptions.password ?? `pw-${randomBytes(12).toString('base64url')}`;
    const mfa = userOptions.mfa ?? userOptions.role === 'ADMINISTRATOR';
    const mfaSecret = mfa ? newTotpSecret() : null;
    const { user, session } = await dataSource.transaction(async (m) => {
      const created = await users.createIn(m, { username, role: userOptions.role, password });
      if (mfaSecret) {
        await m.query('UPDATE users SET mfa_secret = $2, mfa_enabled_at = now() WHERE id = $1', [
          created.id,
          new SecretBox(config.encryptionKey ?? '').seal(mfaSecret, {
            table: 'users',
            column: 'mfa_secret',
            id: created.id,
          }),
        ]);
      }
      for (const [packageId, role] of Object.entries(userOptions.packages ?? {})) {
        await members.putIn(m, packageId, created.id, role);
      }
      // A real session: access tokens are only good while theirs is open.
      const started = await app
        .get(SessionsService)
        .start(m, created, mfaSecret ? new Date() : null, { userAgent: 'test', ip: null });
      return { user: created, session: started };
    });
    const token = app.get(AccessTokens).issueAccess(user, session).token;
    return { id: user.id, username, password, role: userOptions.role, mfaSecret, token };
  };

  const admin = await createUser({
    role: 'ADMINISTRATOR',
    username: `root-${randomBytes(3).toString('hex')}`,
  });

  return {
    app,
    db,
    config,
    admin,
    createUser,
    request: ({ as, ...requestOptions }) => {
      const caller = as === undefined ? admin : as;
      const headers = { ...(requestOptions.headers ?? {}) } as Record<string, string>;
      if (caller && headers['authorization'] === undefined)
        headers['authorization'] = `Bearer ${caller.token}`;
      return app.inject({ ...requestOptions, headers });
    },
    listen: async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      return (await app.getUrl()).replace('[::1]', '127.0.0.1');
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Parses a JSON response body with a type for the test's convenience. */
export function json<T = Record<string, unknown>>(response: InjectResponse): T {
  return JSON.parse(response.body) as T;
}

/** POSTs `body` to a package's asset collection (`flows`, `mappings`, …). */
export function postAsset(
  t: TestApp,
  packageId: string,
  collection: string,
  body: Record<string, unknown>,
  as?: TestUser,
) {
  return t.request({
    method: 'POST',
    url: `/api/packages/${packageId}/${collection}`,
    payload: body,
    ...(as ? { as } : {}),
  });
}

/** Creates an asset through its collection; anything but 201 throws with the answer. */
export async function createVia<T>(
  t: TestApp,
  packageId: string,
  collection: string,
  body: Record<string, unknown>,
  as?: TestUser,
): Promise<T> {
  const response = await postAsset(t, packageId, collection, body, as);
  if (response.statusCode !== 201)
    throw new Error(
      `creating ${collection} ${String(body['name'])}: ${response.statusCode} ${response.body}`,
    );
  return json<T>(response);
}
