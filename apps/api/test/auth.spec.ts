import { bearer, login, signIn, type LoginBody, type SessionBody } from './support/auth-flows';
import { json, startTestApp, type TestApp } from './support/test-app';

describe('sign-in and sessions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const me = (token: string) =>
    t.request({ method: 'GET', url: '/api/auth/me', as: null, headers: bearer(token) });
  const refresh = (refreshToken: string) =>
    t.request({ method: 'POST', url: '/api/auth/refresh', as: null, payload: { refreshToken } });

  it('signs in with username and password, and the access token works', async () => {
    const user = await t.createUser({ role: 'DEVELOPER', username: 'Dora' });
    const response = await login(t, 'dora', user.password);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = json<LoginBody>(response);
    expect(body).toMatchObject({ mfaRequired: false, mfaToken: null });
    expect(body.session?.refreshToken).toMatch(/^ixr_/);
    const whoAmI = await me(body.session?.accessToken ?? '');
    expect(whoAmI.statusCode).toBe(200);
    expect(json(whoAmI)).toMatchObject({ username: 'dora', role: 'DEVELOPER', mfaEnabled: false });
    const stored = await t.db.pool.query<{ token_hash: string }>(
      'SELECT token_hash FROM refresh_tokens WHERE user_id = $1',
      [user.id],
    );
    expect(stored.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]?.token_hash).not.toContain(body.session?.refreshToken ?? '-');
  });

  it('gives one generic answer for a wrong password and an unknown user, and audits both', async () => {
    const user = await t.createUser({ role: 'VIEWER' });
    const wrong = await login(t, user.username, 'not-the-password-at-all', {}, '10.1.0.1');
    const unknown = await login(t, 'nobody-here', 'not-the-password-at-all', {}, '10.1.0.2');
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(json(response)).toMatchObject({
        code: 'unauthenticated',
        detail: 'invalid username or password',
      });
    }
    const failures = await t.db.count(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'LOGIN_FAILED' AND changes->'username'->>'after' IN ($1, 'nobody-here')`,
      [user.username],
    );
    expect(failures).toBe(2);
  });

  it('sets the refresh token as an httpOnly SameSite=Strict cookie for the console, and refreshes from it', async () => {
    const user = await t.createUser({ role: 'VIEWER' });
    const response = await login(t, user.username, user.password, { session: 'cookie' });
    const cookie = response.cookies.find((c) => c.name === 'ixr');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
    expect(json<LoginBody>(response).session?.refreshToken).toBeNull();
    const refreshed = await t.request({
      method: 'POST',
      url: '/api/auth/refresh',
      as: null,
      cookies: { ixr: cookie?.value ?? '' },
      payload: {},
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.cookies.find((c) => c.name === 'ixr')?.value).not.toBe(cookie?.value);
  });

  it('rotates refresh tokens and revokes the whole session when a used one comes back', async () => {
    const user = await t.createUser({ role: 'DEVELOPER' });
    const first = json<LoginBody>(await login(t, user.username, user.password))
      .session as SessionBody;
    const second = json<SessionBody>(await refresh(first.refreshToken ?? ''));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const third = await refresh(second.refreshToken ?? '');
    expect(third.statusCode).toBe(200);

    // The first token was used already: someone replays it → the whole family ends.
    const replay = await refresh(first.refreshToken ?? '');
    expect(replay.statusCode).toBe(401);
    expect((await refresh(json<SessionBody>(third).refreshToken ?? '')).statusCode).toBe(401);
    const reuse = await t.db.count(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'REFRESH_TOKEN_REUSE' AND entity_id = $1`,
      [user.id],
    );
    expect(reuse).toBe(1);
  });

  it('lets only one of two concurrent refreshes with the same token through', async () => {
    const user = await t.createUser({ role: 'VIEWER' });
    const session = json<LoginBody>(await login(t, user.username, user.password))
      .session as SessionBody;
    const results = await Promise.all([
      refresh(session.refreshToken ?? ''),
      refresh(session.refreshToken ?? ''),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('ends the session on logout', async () => {
    const user = await t.createUser({ role: 'VIEWER' });
    const session = json<LoginBody>(await login(t, user.username, user.password))
      .session as SessionBody;
    const out = await t.request({
      method: 'POST',
      url: '/api/auth/logout',
      as: null,
      payload: { refreshToken: session.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await refresh(session.refreshToken ?? '')).statusCode).toBe(401);
  });

  it('changing the password needs the current one and ends every other session at once', async () => {
    const user = await t.createUser({ role: 'DEVELOPER' });
    const other = await signIn(t, user);
    const current = await signIn(t, user);
    const wrong = await t.request({
      method: 'PUT',
      url: '/api/auth/password',
      as: null,
      headers: bearer(current.accessToken),
      payload: { currentPassword: 'wrong-password-123', newPassword: 'a-brand-new-passphrase' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(json<{ errors: { path: string }[] }>(wrong).errors[0]?.path).toBe('password');
    const weak = await t.request({
      method: 'PUT',
      url: '/api/auth/password',
      as: null,
      headers: bearer(current.accessToken),
      payload: { currentPassword: user.password, newPassword: 'short' },
    });
    expect(json<{ errors: { path: string }[] }>(weak).errors[0]?.path).toBe('newPassword');

    const changed = await t.request({
      method: 'PUT',
      url: '/api/auth/password',
      as: null,
      headers: bearer(current.accessToken),
      payload: { currentPassword: user.password, newPassword: 'a-brand-new-passphrase' },
    });
    expect(changed.statusCode).toBe(200);
    // Every earlier token is refused at once; the new session works.
    expect((await me(other.accessToken)).statusCode).toBe(401);
    expect((await me(current.accessToken)).statusCode).toBe(401);
    expect((await refresh(other.refreshToken ?? '')).statusCode).toBe(401);
    expect((await me(json<SessionBody>(changed).accessToken)).statusCode).toBe(200);
    expect((await login(t, user.username, 'a-brand-new-passphrase')).statusCode).toBe(200);
  });

  describe('throttling', () => {
    it('locks an account after 5 failures, whatever the password, then answers 429 with Retry-After', async () => {
      const user = await t.createUser({ role: 'VIEWER' });
      for (let i = 0; i < 5; i++) {
        expect(
          (await login(t, user.username, 'wrong-password-000', {}, `10.2.0.${i}`)).statusCode,
        ).toBe(401);
      }
      const locked = await login(t, user.username, user.password, {}, '10.2.1.1');
      expect(locked.statusCode).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(json(locked)).toMatchObject({ code: 'too_many_attempts' });
      // After the lock expires (moved into the past here), the right password works.
      await t.db.pool.query(
        `UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`,
        [`user:${user.id}`],
      );
      expect((await login(t, user.username, user.password, {}, '10.2.1.1')).statusCode).toBe(200);
    });

    it('locks unknown usernames the same way (no enumeration)', async () => {
      for (let i = 0; i < 5; i++)
        await login(t, 'ghost-user', 'wrong-password-000', {}, `10.3.0.${i}`);
      expect((await login(t, 'ghost-user', 'wrong-password-000', {}, '10.3.1.1')).statusCode).toBe(
        429,
      );
    });

    it('locks a client IP that tries many accounts', async () => {
      for (let i = 0; i < 20; i++)
        await login(t, `spray-${i}`, 'wrong-password-000', {}, '10.4.0.1');
      const user = await t.createUser({ role: 'VIEWER' });
      expect((await login(t, user.username, user.password, {}, '10.4.0.1')).statusCode).toBe(429);
      expect((await login(t, user.username, user.password, {}, '10.4.0.2')).statusCode).toBe(200);
    });
  });

  it('refuses a disabled user at once: access token, refresh token and sign-in', async () => {
    const user = await t.createUser({ role: 'DEVELOPER' });
    const session = await signIn(t, user);
    const admin = t.admin;
    const current = json<{ version: number }>(
      await t.request({ method: 'GET', url: `/api/users/${user.id}`, as: admin }),
    );
    const disabled = await t.request({
      method: 'PUT',
      url: `/api/users/${user.id}`,
      payload: { version: current.version, disabled: true },
    });
    expect(disabled.statusCode).toBe(200);
    expect((await me(session.accessToken)).statusCode).toBe(401);
    expect((await refresh(session.refreshToken ?? '')).statusCode).toBe(401);
    expect((await login(t, user.username, user.password)).statusCode).toBe(401);
  });

  it('answers only login, refresh, logout and health without a token', async () => {
    expect((await t.request({ method: 'GET', url: '/api/health', as: null })).statusCode).toBe(200);
    for (const url of [
      '/api/packages',
      '/api/assets',
      '/api/auth/me',
      '/api/users',
      '/api/tokens',
      '/api/audit',
      '/metrics',
    ]) {
      const response = await t.request({ method: 'GET', url, as: null });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
      expect(response.headers['www-authenticate']).toContain('Bearer');
    }
  });
});
