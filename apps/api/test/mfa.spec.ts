import { authenticator } from 'otplib';

import { currentTotp } from '../src/identity/totp';
import { bearer, login, signIn, type LoginBody, type SessionBody } from './support/auth-flows';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** A code for a neighbouring 30 s step that the server still accepts (±1 step). */
function codeAt(secret: string, offsetSteps: number): string {
  return authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(secret);
}

describe('TOTP multi-factor authentication', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const post = (url: string, token: string, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url, as: null, headers: bearer(token), payload });

  async function enrol(
    user: TestUser,
  ): Promise<{ session: SessionBody; secret: string; recoveryCodes: string[] }> {
    const session = await signIn(t, user);
    const started = await post('/api/auth/mfa/enrolment', session.accessToken, {
      password: user.password,
    });
    expect(started.statusCode).toBe(200);
    const enrolment = json<{ secret: string; otpauthUri: string; qrCodeDataUrl: string }>(started);
    const confirmed = await post('/api/auth/mfa/enrolment/confirm', session.accessToken, {
      code: currentTotp(enrolment.secret),
    });
    expect(confirmed.statusCode).toBe(200);
    const body = json<{ recoveryCodes: string[]; accessToken: string }>(confirmed);
    return {
      session: { ...session, accessToken: body.accessToken },
      secret: enrolment.secret,
      recoveryCodes: body.recoveryCodes,
    };
  }

  it('enrols with the password, a QR code and a first code; stores the secret encrypted; gives 10 recovery codes', async () => {
    const user = await t.createUser({ role: 'DEVELOPER' });
    const session = await signIn(t, user);
    const noPassword = await post('/api/auth/mfa/enrolment', session.accessToken, {
      password: 'not-my-password-1',
    });
    expect(noPassword.statusCode).toBe(400);

    const started = json<{ secret: string; otpauthUri: string; qrCodeDataUrl: string }>(
      await post('/api/auth/mfa/enrolment', session.accessToken, { password: user.password }),
    );
    expect(started.otpauthUri).toBe(
      `otpauth://totp/Integrixs:${user.username}?secret=${started.secret}&period=30&digits=6&algorithm=SHA1&issuer=Integrixs`,
    );
    expect(started.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const stored = await t.db.pool.query<{ mfa_secret: string; mfa_enabled_at: Date | null }>(
      'SELECT mfa_secret, mfa_enabled_at FROM users WHERE id = $1',
      [user.id],
    );
    expect(stored.rows[0]?.mfa_secret).toMatch(/^v3\.[0-9a-f]{12}\./);
    expect(stored.rows[0]?.mfa_secret).not.toContain(started.secret);
    expect(stored.rows[0]?.mfa_enabled_at).toBeNull();

    const wrong = await post('/api/auth/mfa/enrolment/confirm', session.accessToken, {
      code: '000000',
    });
    expect(wrong.statusCode).toBe(400);
    const confirmed = json<{ recoveryCodes: string[] }>(
      await post('/api/auth/mfa/enrolment/confirm', session.accessToken, {
        code: currentTotp(started.secret),
      }),
    );
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);
    const hashes = await t.db.pool.query<{ code_hash: string }>(
      'SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1',
      [user.id],
    );
    expect(hashes.rows).toHaveLength(10);
    expect(hashes.rows.map((r) => r.code_hash)).not.toContain(confirmed.recoveryCodes[0]);
  });

  it('asks for the second factor at sign-in, and refuses a code used twice', async () => {
    const user = await t.createUser({ role: 'DEVELOPER' });
    const { secret } = await enrol(user);
    const first = json<LoginBody>(await login(t, user.username, user.password));
    expect(first).toMatchObject({ mfaRequired: true, session: null });
    // The challenge is not an access token.
    expect(
      (
        await t.request({
          method: 'GET',
          url: '/api/auth/me',
          as: null,
          headers: bearer(first.mfaToken ?? ''),
        })
      ).statusCode,
    ).toBe(401);

    const code = codeAt(secret, 1);
    const ok = await t.request({
      method: 'POST',
      url: '/api/auth/login/mfa',
      as: null,
      payload: { mfaToken: first.mfaToken, code },
    });
    expect(ok.statusCode).toBe(200);

    const again = json<LoginBody>(await login(t, user.username, user.password));
    const replay = await t.request({
      method: 'POST',
      url: '/api/auth/login/mfa',
      as: null,
      payload: { mfaToken: again.mfaToken, code },
    });
    expect(replay.statusCode).toBe(400);
    // An older step is refused too, once a newer one was used.
    const older = await t.request({
      method: 'POST',
      url: '/api/auth/login/mfa',
      as: null,
      payload: { mfaToken: again.mfaToken, code: codeAt(secret, 0) },
    });
    expect(older.statusCode).toBe(400);
  });

  it('accepts each recovery code once', async () => {
    const user = await t.createUser({ role: 'INTEGRATOR' });
    const { recoveryCodes } = await enrol(user);
    const use = async (code: string) => {
      const challenge = json<LoginBody>(await login(t, user.username, user.password));
      return t.request({
        method: 'POST',
        url: '/api/auth/login/mfa',
        as: null,
        payload: { mfaToken: challenge.mfaToken, code },
      });
    };
    const code = recoveryCodes[0] ?? '';
    expect((await use(code.toLowerCase())).statusCode).toBe(200);
    expect((await use(code)).statusCode).toBe(400);
    expect((await use(recoveryCodes[1] ?? '')).statusCode).toBe(200);
  });

  it('limits wrong codes: 5 failures lock the second factor for a while', async () => {
    const user = await t.createUser({ role: 'VIEWER' });
    const { secret } = await enrol(user);
    const challenge = json<LoginBody>(await login(t, user.username, user.password));
    for (let i = 0; i < 5; i++) {
      const wrong = await t.request({
        method: 'POST',
        url: '/api/auth/login/mfa',
        as: null,
        payload: { mfaToken: challenge.mfaToken, code: '123456' },
      });
      expect(wrong.statusCode).toBe(400);
    }
    const locked = await t.request({
      method: 'POST',
      url: '/api/auth/login/mfa',
      as: null,
      payload: { mfaToken: challenge.mfaToken, code: codeAt(secret, 1) },
    });
    expect(locked.statusCode).toBe(429);
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'MFA_FAILED' AND entity_id = $1`,
        [user.id],
      ),
    ).toBe(5);
  });

  it('keeps an administrator without MFA to their own account until they enrol', async () => {
    const admin = await t.createUser({ role: 'ADMINISTRATOR', mfa: false });
    const session = await signIn(t, admin);
    expect(session.user.mfaEnrollmentRequired).toBe(true);
    const blocked = await t.request({
      method: 'GET',
      url: '/api/packages',
      as: null,
      headers: bearer(session.accessToken),
    });
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked)).toMatchObject({ code: 'mfa_enrollment_required' });
    expect(
      (
        await t.request({
          method: 'GET',
          url: '/api/auth/me',
          as: null,
          headers: bearer(session.accessToken),
        })
      ).statusCode,
    ).toBe(200);

    const enrolled = await enrol(admin);
    const now = await t.request({
      method: 'GET',
      url: '/api/packages',
      as: null,
      headers: bearer(enrolled.session.accessToken),
    });
    expect(now.statusCode).toBe(200);
    // …and cannot switch it off again.
    const off = await t.request({
      method: 'DELETE',
      url: '/api/auth/mfa',
      as: null,
      headers: bearer(enrolled.session.accessToken),
      payload: { password: admin.password, code: codeAt(enrolled.secret, 1) },
    });
    expect(off.statusCode).toBe(409);
  });

  describe('step-up for sensitive actions', () => {
    it('answers 401 mfa_required without a recent confirmation, and lets the action through after /mfa/verify', async () => {
      const admin = await t.createUser({ role: 'ADMINISTRATOR' });
      // Signed in with password + MFA 20 minutes ago (older than MFA_STEP_UP_MAX_AGE_SECONDS = 900).
      const session = await signIn(t, admin);
      await t.db.pool.query(
        `UPDATE refresh_tokens SET mfa_at = now() - interval '20 minutes' WHERE user_id = $1`,
        [admin.id],
      );
      const refreshed = json<SessionBody>(
        await t.request({
          method: 'POST',
          url: '/api/auth/refresh',
          as: null,
          payload: { refreshToken: session.refreshToken },
        }),
      );
      const create = (token: string) =>
        t.request({
          method: 'POST',
          url: '/api/users',
          as: null,
          headers: bearer(token),
          payload: {
            username: `made-${Date.now()}`,
            role: 'VIEWER',
            password: 'a-good-long-password',
          },
        });
      const stale = await create(refreshed.accessToken);
      expect(stale.statusCode).toBe(401);
      expect(json(stale)).toMatchObject({ code: 'mfa_required' });
      expect(stale.headers['www-authenticate']).toContain('insufficient_user_authentication');
      // Reading is not sensitive.
      expect(
        (
          await t.request({
            method: 'GET',
            url: '/api/users',
            as: null,
            headers: bearer(refreshed.accessToken),
          })
        ).statusCode,
      ).toBe(200);

      const stepped = await post('/api/auth/mfa/verify', refreshed.accessToken, {
        code: codeAt(admin.mfaSecret ?? '', 1),
      });
      expect(stepped.statusCode).toBe(200);
      expect((await create(json<{ accessToken: string }>(stepped).accessToken)).statusCode).toBe(
        201,
      );
      expect(
        await t.db.count(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'STEP_UP' AND entity_id = $1`,
          [admin.id],
        ),
      ).toBe(1);
    });
  });
});
