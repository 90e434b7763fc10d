import { createApiToken, problemOf, withStaleMfa } from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface UserView {
  id: string;
  mfaEnabled: boolean;
  version: number;
}

describe('resetting a user’s MFA (POST /api/users/{id}/mfa/reset)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const reset = (id: string, as: TestUser = t.admin) =>
    t.request({ method: 'POST', url: `/api/users/${id}/mfa/reset`, as });

  const me = (user: TestUser) => t.request({ method: 'GET', url: '/api/auth/me', as: user });

  it('turns MFA off, ends the sessions and API tokens of the user, and audits who did it', async () => {
    const user = await t.createUser({ role: 'DEVELOPER', mfa: true });
    const token = await createApiToken(t, user, { name: 'ci', permissions: ['package:list'] });
    expect((await me(user)).statusCode).toBe(200);

    const response = await reset(user.id);
    expect(response.statusCode).toBe(200);
    expect(json<UserView>(response)).toMatchObject({ id: user.id, mfaEnabled: false });
    expect(response.body).not.toMatch(/mfaSecret|mfa_secret/);

    // The old session and the API token no longer work.
    expect((await me(user)).statusCode).toBe(401);
    expect((await me({ ...user, token: token.token })).statusCode).toBe(401);
    expect(
      await t.db.count(
        'SELECT count(*)::int AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL',
        [user.id],
      ),
    ).toBe(0);

    // Signing in asks for no code any more (the old secret is gone).
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: user.username, password: user.password, session: 'body' },
      as: null,
    });
    expect(json<{ mfaRequired: boolean }>(login).mfaRequired).toBe(false);

    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM audit_log
          WHERE action = 'MFA_DISABLED' AND entity_id = $1 AND actor = $2
            AND changes -> 'resetBy' ->> 'after' = $2`,
        [user.id, t.admin.id],
      ),
    ).toBe(1);
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM audit_log
          WHERE action = 'UPDATE' AND entity_type = 'user' AND entity_id = $1
            AND changes ? 'mfaEnabledAt'`,
        [user.id],
      ),
    ).toBe(1);
  });

  it('makes a reset administrator enrol again before anything else', async () => {
    const admin = await t.createUser({ role: 'ADMINISTRATOR' });
    expect((await reset(admin.id)).statusCode).toBe(200);
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: admin.username, password: admin.password, session: 'body' },
      as: null,
    });
    const body = json<{ mfaRequired: boolean; session: { accessToken: string } | null }>(login);
    expect(body.mfaRequired).toBe(false);
    const fresh = { ...admin, token: body.session?.accessToken ?? '' };
    const users = await t.request({ method: 'GET', url: '/api/users', as: fresh });
    expect([users.statusCode, problemOf(users).code]).toEqual([403, 'mfa_enrollment_required']);
  });

  it('refuses a user without MFA and the caller’s own account (409), an unknown id (404)', async () => {
    const plain = await t.createUser({ role: 'VIEWER', mfa: false });
    const none = await reset(plain.id);
    expect([none.statusCode, problemOf(none).code]).toEqual([409, 'state_conflict']);
    expect(problemOf(none).detail).toContain('has no MFA');

    const self = await reset(t.admin.id);
    expect([self.statusCode, problemOf(self).code]).toEqual([409, 'state_conflict']);

    const unknown = await reset('00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    const malformed = await reset('not-a-uuid');
    expect([malformed.statusCode, problemOf(malformed).errors[0]?.path]).toEqual([400, 'userId']);
  });

  it('needs user:manage (403 for others) and a recent MFA confirmation (401 mfa_required)', async () => {
    const target = await t.createUser({ role: 'DEVELOPER', mfa: true });
    const developer = await t.createUser({ role: 'DEVELOPER', mfa: true });
    const refused = await reset(target.id, developer);
    expect(refused.statusCode).toBe(403);

    const stale = await reset(target.id, await withStaleMfa(t, t.admin));
    expect([stale.statusCode, problemOf(stale).code]).toEqual([401, 'mfa_required']);

    // Still enrolled: the target's code is still asked for.
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: target.username, password: target.password },
      as: null,
    });
    expect(json<{ mfaRequired: boolean }>(login).mfaRequired).toBe(true);
  });
});
