import { createHash } from 'node:crypto';

import { currentTotp } from '../src/identity/totp';
import { bearer, login, type LoginBody } from './support/auth-flows';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * Attacks on sign-in itself: racing the attempt limit, spelling a locked account's name another
 * way, and using one MFA challenge twice.
 */
describe('sign-in security', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const failedSignIns = (user: TestUser) =>
    t.db.count(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'LOGIN_FAILED' AND entity_id = $1`,
      [user.id],
    );
  const statuses = (responses: { statusCode: number }[]) =>
    responses.map((r) => r.statusCode).sort((a, b) => a - b);

  describe('the attempt limit under concurrency', () => {
    it('checks at most 5 of 10 concurrent wrong passwords for one account; the rest get 429', async () => {
      const user = await t.createUser({ role: 'VIEWER' });
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          login(t, user.username, `wrong-password-${i}`, {}, `10.20.0.${i}`),
        ),
      );
      expect(statuses(responses)).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
      expect(await failedSignIns(user)).toBe(5);
    });

    it('checks at most 5 of 10 concurrent wrong current passwords on a password change', async () => {
      const user = await t.createUser({ role: 'VIEWER' });
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.request({
            method: 'PUT',
            url: '/api/auth/password',
            as: user,
            payload: { currentPassword: `wrong-password-${i}`, newPassword: 'a-new-passphrase-9' },
          }),
        ),
      );
      expect(statuses(responses)).toEqual([400, 400, 400, 400, 400, 429, 429, 429, 429, 429]);
    });

    it('does not use up a client address with successful sign-ins', async () => {
      const user = await t.createUser({ role: 'VIEWER' });
      for (let i = 0; i < 25; i++) {
        const response = await login(t, user.username, user.password, {}, '10.21.0.1');
        expect({ i, status: response.statusCode }).toEqual({ i, status: 200 });
      }
    });
  });

  describe('usernames spelled another way', () => {
    const lockOut = async (user: TestUser) => {
      for (let i = 0; i < 5; i++)
        expect(
          (await login(t, user.username, 'wrong-password-000', {}, `10.22.0.${i}`)).statusCode,
        ).toBe(401);
      expect((await login(t, user.username, user.password, {}, '10.22.1.1')).statusCode).toBe(429);
    };

    it('does not sign in as sp_victim with "sp_v\\u0130ctim", locked or not', async () => {
      const victim = await t.createUser({ role: 'VIEWER', username: 'sp_victim' });
      const dotted = 'sp_v\u0130ctim';
      const unlocked = await login(t, dotted, victim.password, {}, '10.22.2.1');
      expect(unlocked.statusCode).toBe(401);
      await lockOut(victim);
      const locked = await login(t, dotted, victim.password, {}, '10.22.2.2');
      expect(locked.statusCode).toBe(401);
      expect(json(locked)).toMatchObject({ detail: 'invalid username or password' });
    });

    it('counts a compatibility spelling (fullwidth) against the same account and its budget', async () => {
      const victim = await t.createUser({ role: 'VIEWER', username: 'fw_victim' });
      const fullwidth = 'ｆｗ＿ｖｉｃｔｉｍ';
      const before = await login(t, fullwidth, victim.password, {}, '10.22.3.1');
      expect(before.statusCode).toBe(200);
      expect(json<LoginBody>(before).session?.user.id).toBe(victim.id);
      await lockOut(victim);
      expect((await login(t, fullwidth, victim.password, {}, '10.22.3.2')).statusCode).toBe(429);
      expect((await login(t, 'FW_VICTIM', victim.password, {}, '10.22.3.3')).statusCode).toBe(429);
    });

    it('refuses to create a user whose name is another spelling of an existing one', async () => {
      await t.createUser({ role: 'VIEWER', username: 'kelvin' });
      // U+212A KELVIN SIGN and fullwidth letters both normalise to "kelvin".
      await expect(t.createUser({ role: 'VIEWER', username: '\u212Aelvin' })).rejects.toThrow(
        /already/,
      );
      await expect(t.createUser({ role: 'VIEWER', username: 'ｋｅｌｖｉｎ' })).rejects.toThrow(
        /already/,
      );
      const viaApi = await t.request({
        method: 'POST',
        url: '/api/users',
        payload: { username: 'ＫＥＬＶＩＮ', role: 'VIEWER', password: 'Another-Long-Pass-1' },
      });
      expect(viaApi.statusCode).toBe(409);
      expect(
        await t.db.count(
          `SELECT count(*)::int AS n FROM users WHERE username_canonical = 'kelvin'`,
        ),
      ).toBe(1);
    });
  });

  describe('the MFA challenge', () => {
    const recoveryHash = (code: string) =>
      createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');

    /** An MFA user with two known recovery codes. */
    async function mfaUser(): Promise<{ user: TestUser; recovery: string[] }> {
      const user = await t.createUser({ role: 'DEVELOPER', mfa: true });
      const recovery = ['AAAA-BBBB-CCCC-DDDD', 'EEEE-FFFF-GGGG-HHHH'];
      for (const code of recovery) {
        await t.db.pool.query(
          'INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)',
          [user.id, recoveryHash(code)],
        );
      }
      return { user, recovery };
    }

    const challenge = async (user: TestUser) => {
      const body = json<LoginBody>(await login(t, user.username, user.password));
      expect(body.mfaRequired).toBe(true);
      return body.mfaToken ?? '';
    };
    const second = (mfaToken: string, code: string) =>
      t.request({
        method: 'POST',
        url: '/api/auth/login/mfa',
        as: null,
        payload: { mfaToken, code },
      });
    const unusedRecoveryCodes = (user: TestUser) =>
      t.db.count(
        'SELECT count(*)::int AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL',
        [user.id],
      );

    it('gives one session per challenge: a TOTP code, then a recovery code, with one mfaToken', async () => {
      const { user, recovery } = await mfaUser();
      const mfaToken = await challenge(user);
      expect((await second(mfaToken, currentTotp(user.mfaSecret ?? ''))).statusCode).toBe(200);
      const again = await second(mfaToken, recovery[0] ?? '');
      expect(again.statusCode).toBe(401);
      expect(json(again)).toMatchObject({ code: 'unauthenticated' });
      // The refused attempt did not use up the recovery code.
      expect(await unusedRecoveryCodes(user)).toBe(2);
    });

    it('gives one session per challenge when two codes race', async () => {
      const { user, recovery } = await mfaUser();
      const mfaToken = await challenge(user);
      const responses = await Promise.all([
        second(mfaToken, currentTotp(user.mfaSecret ?? '')),
        second(mfaToken, recovery[0] ?? ''),
        second(mfaToken, recovery[1] ?? ''),
      ]);
      expect(statuses(responses)).toEqual([200, 401, 401]);
      for (const winner of responses.filter((r) => r.statusCode === 200)) {
        const { accessToken } = json<{ accessToken: string }>(winner);
        const me = await t.request({
          method: 'GET',
          url: '/api/auth/me',
          as: null,
          headers: bearer(accessToken),
        });
        expect(me.statusCode).toBe(200);
      }
      // At most one code was used up (none when the TOTP code won).
      expect(await unusedRecoveryCodes(user)).toBeGreaterThanOrEqual(1);
    });

    it('checks at most 5 of 20 concurrent wrong codes, and holds no second connection while waiting', async () => {
      const { user } = await mfaUser();
      const mfaToken = await challenge(user);
      // More requests than the pool has connections: none may wait on a connection it cannot get.
      const wrong = Array.from({ length: 20 }, (_, i) => String(100000 + i));
      const responses = await Promise.all(wrong.map((code) => second(mfaToken, code)));
      const counts = statuses(responses).reduce<Record<number, number>>(
        (acc, status) => ({ ...acc, [status]: (acc[status] ?? 0) + 1 }),
        {},
      );
      expect(counts).toEqual({ 400: 5, 429: 15 });
      const failures = await t.db.count(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'MFA_FAILED' AND entity_id = $1`,
        [user.id],
      );
      expect(failures).toBe(5);
    });

    it('keeps the challenge usable after a wrong code', async () => {
      const { user } = await mfaUser();
      const mfaToken = await challenge(user);
      expect((await second(mfaToken, '000000')).statusCode).toBe(400);
      expect((await second(mfaToken, currentTotp(user.mfaSecret ?? ''))).statusCode).toBe(200);
    });
  });
});
