import { randomUUID } from 'node:crypto';

import jwt from 'jsonwebtoken';

import { JWT_AUDIENCE } from '../src/core/config/app-config';
import { createApiToken } from './support/access-fixtures';
import { bearer, login, type LoginBody, type SessionBody } from './support/auth-flows';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * What ends a session or a credential, and how fast: logout (by refresh token or by the access
 * token alone), refresh-token reuse, password changes and resets, disabling a user — on the
 * instance that made the change and on another one sharing the database.
 */
describe('ending sessions and credentials', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ databaseUrl: a.db.url });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const me = (app: TestApp, token: string) =>
    app.request({ method: 'GET', url: '/api/auth/me', as: null, headers: bearer(token) });
  const refresh = (refreshToken: string) =>
    a.request({ method: 'POST', url: '/api/auth/refresh', as: null, payload: { refreshToken } });

  async function session(user: TestUser, mode: 'body' | 'cookie' = 'body') {
    const response = await login(a, user.username, user.password, { session: mode });
    expect(response.statusCode).toBe(200);
    const body = json<LoginBody>(response).session as SessionBody;
    const cookie = response.cookies.find((c) => c.name === 'ixr')?.value ?? null;
    return { ...body, cookie };
  }

  /** Repeats `me` on an instance until it answers `status` (notifications are asynchronous). */
  async function eventually(app: TestApp, token: string, status: number): Promise<number> {
    const started = Date.now();
    let last = (await me(app, token)).statusCode;
    while (last !== status && Date.now() - started < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      last = (await me(app, token)).statusCode;
    }
    expect(last).toBe(status);
    return Date.now() - started;
  }

  /** Both instances accept the token (and have cached that), then refuse it once `end` ran on a. */
  async function expectEndedEverywhere(token: string, end: () => Promise<void>): Promise<void> {
    expect((await me(a, token)).statusCode).toBe(200);
    expect((await me(b, token)).statusCode).toBe(200);
    await end();
    expect((await me(a, token)).statusCode).toBe(401);
    expect(await eventually(b, token, 401)).toBeLessThan(1000);
  }

  const logout = (options: {
    payload?: Record<string, unknown>;
    cookies?: Record<string, string>;
    headers?: Record<string, string>;
  }) =>
    a.request({
      method: 'POST',
      url: '/api/auth/logout',
      as: null,
      payload: options.payload ?? {},
      ...(options.cookies ? { cookies: options.cookies } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });

  describe('logout', () => {
    it('refuses the access token at once after logout with the refresh token in the body', async () => {
      const user = await a.createUser({ role: 'VIEWER' });
      const s = await session(user);
      await expectEndedEverywhere(s.accessToken, async () => {
        expect((await logout({ payload: { refreshToken: s.refreshToken } })).statusCode).toBe(204);
      });
      expect((await refresh(s.refreshToken ?? '')).statusCode).toBe(401);
    });

    it('refuses the access token at once after logout with the refresh cookie', async () => {
      const user = await a.createUser({ role: 'VIEWER' });
      const s = await session(user, 'cookie');
      await expectEndedEverywhere(s.accessToken, async () => {
        expect((await logout({ cookies: { ixr: s.cookie ?? '' } })).statusCode).toBe(204);
      });
    });

    it('ends the session of the bearer access token when no refresh token is sent', async () => {
      const user = await a.createUser({ role: 'VIEWER' });
      const s = await session(user);
      const other = await session(user);
      await expectEndedEverywhere(s.accessToken, async () => {
        expect((await logout({ headers: bearer(s.accessToken) })).statusCode).toBe(204);
      });
      expect((await refresh(s.refreshToken ?? '')).statusCode).toBe(401);
      // Only that session: another one of the same user goes on.
      expect((await me(a, other.accessToken)).statusCode).toBe(200);
      expect(
        await a.db.count(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'LOGOUT' AND entity_id = $1`,
          [user.id],
        ),
      ).toBe(1);
    });

    it('ignores a bearer token that is not valid (and ends nothing)', async () => {
      const user = await a.createUser({ role: 'VIEWER' });
      const s = await session(user);
      const forged = jwt.sign(
        { typ: 'access', sub: user.id, role: 'VIEWER', sid: randomUUID() },
        'an-attacker-key-that-is-long-enough-000',
        { algorithm: 'HS256', expiresIn: 60, issuer: 'integrixs', audience: JWT_AUDIENCE },
      );
      expect((await logout({ headers: bearer(forged) })).statusCode).toBe(204);
      expect((await me(a, s.accessToken)).statusCode).toBe(200);
    });
  });

  it('refuses every access token of a session whose refresh token was reused', async () => {
    const user = await a.createUser({ role: 'VIEWER' });
    const first = await session(user);
    const rotated = json<SessionBody>(await refresh(first.refreshToken ?? ''));
    for (const token of [first.accessToken, rotated.accessToken]) {
      expect((await me(a, token)).statusCode).toBe(200);
      expect((await me(b, token)).statusCode).toBe(200);
    }
    expect((await refresh(first.refreshToken ?? '')).statusCode).toBe(401); // reuse
    for (const token of [first.accessToken, rotated.accessToken]) {
      expect((await me(a, token)).statusCode).toBe(401);
      await eventually(b, token, 401);
    }
  });

  it('refuses a session token after a password change whatever the issuing host clock said', async () => {
    const user = await a.createUser({ role: 'VIEWER' });
    const s = await session(user);
    const { sid } = jwt.decode(s.accessToken) as { sid: string };
    // Minted by a host whose clock runs an hour ahead of the database.
    const ahead = jwt.sign(
      { typ: 'access', sub: user.id, role: 'VIEWER', sid, iat_ms: Date.now() + 3600_000 },
      a.config.jwtSecret ?? '',
      { algorithm: 'HS256', expiresIn: 600, issuer: 'integrixs', audience: JWT_AUDIENCE },
    );
    await expectEndedEverywhere(ahead, async () => {
      const changed = await a.request({
        method: 'PUT',
        url: '/api/auth/password',
        as: null,
        headers: bearer(s.accessToken),
        payload: { currentPassword: user.password, newPassword: 'a-brand-new-passphrase-1' },
      });
      expect(changed.statusCode).toBe(200);
    });
  });

  describe('API tokens', () => {
    async function withToken(): Promise<{ user: TestUser; token: string; id: string }> {
      const user = await a.createUser({ role: 'DEVELOPER' });
      const created = await createApiToken(a, user, { name: 'CI', permissions: ['package:list'] });
      return { user, token: created.token, id: created.id };
    }
    const list = (app: TestApp, token: string) =>
      app.request({ method: 'GET', url: '/api/packages', as: null, headers: bearer(token) });
    const versionOf = async (user: TestUser) =>
      json<{ version: number }>(await a.request({ method: 'GET', url: `/api/users/${user.id}` }))
        .version;
    const isRevoked = (id: string) =>
      a.db.count(
        `SELECT count(*)::int AS n FROM api_tokens WHERE id = $1 AND revoked_at IS NOT NULL`,
        [id],
      );

    it('are revoked by an administrator password reset', async () => {
      const { user, token, id } = await withToken();
      expect((await list(b, token)).statusCode).toBe(200);
      const reset = await a.request({
        method: 'POST',
        url: `/api/users/${user.id}/password`,
        payload: { password: 'Reset-By-The-Admin-42' },
      });
      expect(reset.statusCode).toBe(204);
      expect((await list(a, token)).statusCode).toBe(401);
      expect((await list(b, token)).statusCode).toBe(401);
      expect(await isRevoked(id)).toBe(1);
    });

    it('are revoked by disabling the user, and stay revoked when the user is enabled again', async () => {
      const { user, token } = await withToken();
      const s = await session(user);
      for (const disabled of [true, false]) {
        const response = await a.request({
          method: 'PUT',
          url: `/api/users/${user.id}`,
          payload: { version: await versionOf(user), disabled },
        });
        expect(response.statusCode).toBe(200);
      }
      expect((await list(a, token)).statusCode).toBe(401);
      expect((await me(a, s.accessToken)).statusCode).toBe(401);
      expect((await refresh(s.refreshToken ?? '')).statusCode).toBe(401);
      expect((await login(a, user.username, user.password)).statusCode).toBe(200);
    });

    it('are revoked when the user changes their own password', async () => {
      const { user, token } = await withToken();
      const s = await session(user);
      const changed = await a.request({
        method: 'PUT',
        url: '/api/auth/password',
        as: null,
        headers: bearer(s.accessToken),
        payload: { currentPassword: user.password, newPassword: 'a-brand-new-passphrase-2' },
      });
      expect(changed.statusCode).toBe(200);
      expect((await list(a, token)).statusCode).toBe(401);
    });
  });
});
