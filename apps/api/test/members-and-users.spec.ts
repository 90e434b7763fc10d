import {
  createPackage,
  isHiddenPackage,
  problemOf,
  withSession,
  withStaleMfa,
} from './support/access-fixtures';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Member {
  userId: string;
  username: string;
  role: string;
}

interface UserView {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
  version: number;
}

interface Session {
  accessToken: string;
  refreshToken: string;
}

describe('package members and user administration', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const membersOf = async (packageId: string, as: TestUser = t.admin) =>
    json<{ items: Member[] }>(
      await t.request({ method: 'GET', url: `/api/packages/${packageId}/members`, as }),
    ).items;

  const putMember = (packageId: string, userId: string, role: string, as: TestUser) =>
    t.request({
      method: 'PUT',
      url: `/api/packages/${packageId}/members/${userId}`,
      payload: { role },
      as,
    });

  const removeMember = (packageId: string, userId: string, as: TestUser) =>
    t.request({ method: 'DELETE', url: `/api/packages/${packageId}/members/${userId}`, as });

  /** Signs in with a password (users without MFA) and returns the session tokens. */
  const login = async (username: string, password: string): Promise<Session> => {
    const response = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password, session: 'body' },
      as: null,
    });
    expect(response.statusCode).toBe(200);
    const body = json<{ session: Session | null }>(response);
    if (!body.session) throw new Error(`no session for ${username}: ${response.body}`);
    return body.session;
  };

  const refresh = (refreshToken: string) =>
    t.request({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken, session: 'body' },
      as: null,
    });

  const me = (user: TestUser, accessToken: string) =>
    t.request({ method: 'GET', url: '/api/auth/me', as: { ...user, token: accessToken } });

  const getUser = async (id: string) =>
    json<UserView>(await t.request({ method: 'GET', url: `/api/users/${id}` }));

  describe('package members', () => {
    let creator: TestUser;
    let pkg: string;

    beforeAll(async () => {
      creator = await t.createUser({ role: 'DEVELOPER' });
      pkg = await createPackage(t, 'Members package', { as: creator });
    });

    it('makes the creator of a package its ADMINISTRATOR member', async () => {
      expect(await membersOf(pkg, creator)).toEqual([
        expect.objectContaining({
          userId: creator.id,
          username: creator.username,
          role: 'ADMINISTRATOR',
        }),
      ]);
    });

    it('lets a package administrator add, change and remove members, with effect at once', async () => {
      const user = await t.createUser({ role: 'DEVELOPER' });
      const asUser = (url: string) => t.request({ method: 'GET', url, as: user });
      expect(isHiddenPackage(await asUser(`/api/packages/${pkg}`), pkg)).toBe(true);

      const added = await putMember(pkg, user.id, 'VIEWER', creator);
      expect(added.statusCode).toBe(200);
      expect(json<{ items: Member[] }>(added).items).toContainEqual(
        expect.objectContaining({ userId: user.id, role: 'VIEWER' }),
      );
      expect((await asUser(`/api/packages/${pkg}`)).statusCode).toBe(200);
      const asViewer = await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/schemas`,
        payload: schemaDocument('By a viewer'),
        as: user,
      });
      expect(asViewer.statusCode).toBe(403);

      expect((await putMember(pkg, user.id, 'DEVELOPER', creator)).statusCode).toBe(200);
      expect(await membersOf(pkg)).toContainEqual(
        expect.objectContaining({ userId: user.id, role: 'DEVELOPER' }),
      );
      const asDeveloper = await t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/schemas`,
        payload: schemaDocument('By a developer'),
        as: user,
      });
      expect(asDeveloper.statusCode).toBe(201);

      expect((await removeMember(pkg, user.id, creator)).statusCode).toBe(204);
      expect((await membersOf(pkg)).map((m) => m.userId)).not.toContain(user.id);
      expect(isHiddenPackage(await asUser(`/api/packages/${pkg}`), pkg)).toBe(true);
    });

    it('refuses member changes to a DEVELOPER member (403), who may still list them', async () => {
      const developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
      const other = await t.createUser({ role: 'VIEWER' });
      expect(
        (await t.request({ method: 'GET', url: `/api/packages/${pkg}/members`, as: developer }))
          .statusCode,
      ).toBe(200);
      for (const response of [
        await putMember(pkg, other.id, 'VIEWER', developer),
        await putMember(pkg, developer.id, 'ADMINISTRATOR', developer),
        await removeMember(pkg, creator.id, developer),
      ]) {
        expect([response.statusCode, problemOf(response).code]).toEqual([403, 'forbidden']);
      }
      expect(await membersOf(pkg)).toContainEqual(
        expect.objectContaining({ userId: developer.id, role: 'DEVELOPER' }),
      );
    });

    it('keeps the last administrator member: no removal, no demotion (409)', async () => {
      const own = await t.createUser({ role: 'DEVELOPER' });
      const solo = await createPackage(t, 'Solo package', { as: own });
      const removed = await removeMember(solo, own.id, own);
      expect([removed.statusCode, problemOf(removed).code]).toEqual([409, 'state_conflict']);
      const demoted = await putMember(solo, own.id, 'DEVELOPER', own);
      expect([demoted.statusCode, problemOf(demoted).code]).toEqual([409, 'state_conflict']);
      // Not even a global administrator can leave the package without one.
      expect((await removeMember(solo, own.id, t.admin)).statusCode).toBe(409);

      const second = await t.createUser({ role: 'DEVELOPER' });
      expect((await putMember(solo, second.id, 'ADMINISTRATOR', own)).statusCode).toBe(200);
      expect((await putMember(solo, own.id, 'VIEWER', own)).statusCode).toBe(200);
      const last = await removeMember(solo, second.id, second);
      expect(last.statusCode).toBe(409);
      expect(await membersOf(solo)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ userId: own.id, role: 'VIEWER' }),
          expect.objectContaining({ userId: second.id, role: 'ADMINISTRATOR' }),
        ]),
      );
    });

    it('keeps the last administrator member when two administrators demote or remove each other at once', async () => {
      const first = await t.createUser({ role: 'DEVELOPER' });
      const second = await t.createUser({ role: 'DEVELOPER' });
      const adminMembers = (packageId: string) =>
        t.db.count(
          `SELECT count(*)::int AS n FROM package_members WHERE package_id = $1 AND role = 'ADMINISTRATOR'`,
          [packageId],
        );
      for (const [round, action] of ['demote', 'remove', 'demote', 'remove'].entries()) {
        const packageId = await createPackage(t, `Pair ${round}`, { as: first });
        expect((await putMember(packageId, second.id, 'ADMINISTRATOR', first)).statusCode).toBe(
          200,
        );
        const [a, b] = await Promise.all(
          action === 'demote'
            ? [
                putMember(packageId, second.id, 'VIEWER', first),
                putMember(packageId, first.id, 'VIEWER', second),
              ]
            : [
                removeMember(packageId, second.id, first),
                removeMember(packageId, first.id, second),
              ],
        );
        // The loser gets 409, or 403/404 when the winner's change reached it first.
        expect({
          round,
          action,
          successes: [a, b].filter((r) => r.statusCode < 300).length,
          adminMembers: await adminMembers(packageId),
        }).toEqual({ round, action, successes: 1, adminMembers: 1 });
      }
    });

    it('shows a non-member nothing of the package (404)', async () => {
      const outsider = await t.createUser({ role: 'DEVELOPER' });
      for (const response of [
        await t.request({ method: 'GET', url: `/api/packages/${pkg}/members`, as: outsider }),
        await putMember(pkg, outsider.id, 'ADMINISTRATOR', outsider),
        await removeMember(pkg, creator.id, outsider),
      ]) {
        expect(isHiddenPackage(response, pkg)).toBe(true);
      }
      expect((await membersOf(pkg)).map((m) => m.userId)).not.toContain(outsider.id);
    });

    it('answers 404 for a user that does not exist', async () => {
      const ghost = '00000000-0000-4000-8000-000000000001';
      const response = await putMember(pkg, ghost, 'VIEWER', creator);
      expect([response.statusCode, problemOf(response).detail]).toEqual([
        404,
        `User ${ghost} does not exist`,
      ]);
    });
  });

  describe('user administration', () => {
    const createUser = (body: Record<string, unknown>, as: TestUser = t.admin) =>
      t.request({ method: 'POST', url: '/api/users', payload: body, as });

    it('creates a user who can then sign in; the response carries no secrets', async () => {
      const response = await createUser({
        username: 'new.colleague',
        displayName: 'New Colleague',
        role: 'DEVELOPER',
        password: 'Correct-Horse-Battery-42',
      });
      expect(response.statusCode).toBe(201);
      expect(json(response)).toMatchObject({
        username: 'new.colleague',
        role: 'DEVELOPER',
        disabled: false,
        mfaEnabled: false,
      });
      expect(response.body).not.toMatch(/passwordHash|password_hash|argon2|mfaSecret/);
      await login('new.colleague', 'Correct-Horse-Battery-42');
    });

    it.each([
      ['shorter than 12 characters', 'Sh0rt-pw!', 'at least 12'],
      ['a common password', 'password1234', 'common'],
      ['containing the username', 'xx-policy.carol-2024!', 'username'],
    ])('refuses a password %s (400 naming password)', async (_, password, words) => {
      const response = await createUser({ username: 'policy.carol', role: 'VIEWER', password });
      expect(response.statusCode).toBe(400);
      const problem = problemOf(response);
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'password' })]);
      expect(problem.errors[0]?.message).toContain(words);
    });

    it('refuses a username that is taken in any case (409)', async () => {
      expect(
        (
          await createUser({
            username: 'Dupe.User',
            role: 'VIEWER',
            password: 'Unique-Enough-Pass-1',
          })
        ).statusCode,
      ).toBe(201);
      for (const username of ['dupe.user', 'DUPE.USER']) {
        const response = await createUser({
          username,
          role: 'VIEWER',
          password: 'Unique-Enough-Pass-2',
        });
        expect([response.statusCode, problemOf(response).code]).toEqual([409, 'name_conflict']);
      }
    });

    it('updates with the version read (body or If-Match): 412 when stale, 428 when missing', async () => {
      const user = await t.createUser({ role: 'VIEWER' });
      const url = `/api/users/${user.id}`;
      const first = await t.request({
        method: 'PUT',
        url,
        headers: { 'if-match': '"1"' },
        payload: { displayName: 'First' },
      });
      expect(first.statusCode).toBe(200);
      expect(json<UserView>(first).version).toBe(2);
      const stale = await t.request({
        method: 'PUT',
        url,
        headers: { 'if-match': '"1"' },
        payload: { displayName: 'Lost' },
      });
      expect([stale.statusCode, problemOf(stale).code]).toEqual([412, 'version_conflict']);
      expect(problemOf(stale)['current']).toMatchObject({ version: 2, displayName: 'First' });
      const staleBody = await t.request({
        method: 'PUT',
        url,
        payload: { version: 1, role: 'DEVELOPER' },
      });
      expect(staleBody.statusCode).toBe(412);
      const missing = await t.request({
        method: 'PUT',
        url,
        payload: { displayName: 'No version' },
      });
      expect(missing.statusCode).toBe(428);
      const second = await t.request({
        method: 'PUT',
        url,
        payload: { version: 2, role: 'DEVELOPER' },
      });
      expect(json<UserView>(second)).toMatchObject({ version: 3, role: 'DEVELOPER' });
    });

    it('ends every session of a user the moment they are disabled', async () => {
      const user = await t.createUser({ role: 'DEVELOPER', mfa: false });
      const session = await login(user.username, user.password);
      expect((await me(user, session.accessToken)).statusCode).toBe(200);
      expect((await me(user, user.token)).statusCode).toBe(200);

      const disabled = await t.request({
        method: 'PUT',
        url: `/api/users/${user.id}`,
        payload: { version: (await getUser(user.id)).version, disabled: true },
      });
      expect(json<UserView>(disabled).disabled).toBe(true);

      for (const token of [session.accessToken, user.token]) {
        const refused = await me(user, token);
        expect([refused.statusCode, problemOf(refused).code]).toEqual([401, 'unauthenticated']);
      }
      expect((await refresh(session.refreshToken)).statusCode).toBe(401);
      const again = await t.request({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user.username, password: user.password },
        as: null,
      });
      expect(again.statusCode).toBe(401);
    });

    it('does not let administrators disable or demote themselves (409)', async () => {
      const admin = await t.createUser({ role: 'ADMINISTRATOR' });
      const { version } = await getUser(admin.id);
      for (const change of [{ disabled: true }, { role: 'DEVELOPER' }, { role: 'VIEWER' }]) {
        const response = await t.request({
          method: 'PUT',
          url: `/api/users/${admin.id}`,
          payload: { version, ...change },
          as: admin,
        });
        expect([response.statusCode, problemOf(response).code]).toEqual([409, 'state_conflict']);
      }
      expect(await getUser(admin.id)).toMatchObject({
        role: 'ADMINISTRATOR',
        disabled: false,
        version,
      });
    });

    it("ends a user's sessions when an administrator sets their password", async () => {
      const user = await t.createUser({ role: 'VIEWER', mfa: false });
      const session = await login(user.username, user.password);
      const url = `/api/users/${user.id}/password`;

      const weak = await t.request({
        method: 'POST',
        url,
        payload: { password: `${user.username}-XYZ-123` },
      });
      expect(weak.statusCode).toBe(400);
      expect(problemOf(weak).errors.map((e) => e.path)).toEqual(['password']);
      expect((await me(user, session.accessToken)).statusCode).toBe(200);

      const set = await t.request({
        method: 'POST',
        url,
        payload: { password: 'Brand-New-Secret-77' },
      });
      expect(set.statusCode).toBe(204);
      expect((await me(user, session.accessToken)).statusCode).toBe(401);
      expect((await me(user, user.token)).statusCode).toBe(401);
      expect((await refresh(session.refreshToken)).statusCode).toBe(401);
      const oldPassword = await t.request({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user.username, password: user.password },
        as: null,
      });
      expect(oldPassword.statusCode).toBe(401);
      const fresh = await login(user.username, 'Brand-New-Secret-77');
      expect((await me(user, fresh.accessToken)).statusCode).toBe(200);
    });

    it('needs a recent MFA confirmation to manage users (401 mfa_required), not to read them', async () => {
      const target = await t.createUser({ role: 'VIEWER' });
      for (const admin of [await withStaleMfa(t, t.admin), await withSession(t, t.admin, null)]) {
        expect(
          (await t.request({ method: 'GET', url: `/api/users/${target.id}`, as: admin }))
            .statusCode,
        ).toBe(200);
        for (const request of [
          {
            method: 'POST' as const,
            url: '/api/users',
            payload: { username: 'stepup.x', role: 'VIEWER', password: 'Step-Up-Needed-99' },
          },
          {
            method: 'PUT' as const,
            url: `/api/users/${target.id}`,
            payload: { version: 1, role: 'ADMINISTRATOR' },
          },
          {
            method: 'POST' as const,
            url: `/api/users/${target.id}/password`,
            payload: { password: 'Step-Up-Needed-99' },
          },
        ]) {
          const response = await t.request({ ...request, as: admin });
          expect([request.url, response.statusCode, problemOf(response).code]).toEqual([
            request.url,
            401,
            'mfa_required',
          ]);
          expect(response.headers['www-authenticate']).toContain(
            'insufficient_user_authentication',
          );
        }
      }
      expect(await getUser(target.id)).toMatchObject({ role: 'VIEWER', version: 1 });
      expect(
        await t.db.count(`SELECT count(*)::int AS n FROM users WHERE username = 'stepup.x'`),
      ).toBe(0);
    });
  });

  describe('the last active administrator', () => {
    let app: TestApp;
    let x: TestUser;
    let y: TestUser;

    const activeAdmins = () =>
      app.db.count(
        `SELECT count(*)::int AS n FROM users WHERE role = 'ADMINISTRATOR' AND disabled_at IS NULL`,
      );
    const update = (actor: TestUser, target: TestUser, change: Record<string, unknown>) =>
      app.request({
        method: 'PUT',
        url: `/api/users/${target.id}`,
        payload: change,
        as: actor,
      });

    beforeAll(async () => {
      app = await startTestApp();
      // Two administrators, X and Y, are the only active ones (the bootstrapped administrator and
      // the harness's are disabled).
      x = await app.createUser({ role: 'ADMINISTRATOR' });
      y = await app.createUser({ role: 'ADMINISTRATOR' });
      await app.db.pool.query(
        `UPDATE users SET disabled_at = now() WHERE role = 'ADMINISTRATOR' AND id <> ALL($1)`,
        [[x.id, y.id]],
      );
    });
    afterAll(() => app.close());

    const versionOf = async (user: TestUser) =>
      (
        await app.db.pool.query<{ version: number }>('SELECT version FROM users WHERE id = $1', [
          user.id,
        ])
      ).rows[0]?.version ?? 0;

    /** Both administrators active again (raw SQL: no version bump, no audit). */
    const reset = () =>
      app.db.pool.query(
        `UPDATE users SET disabled_at = NULL, role = 'ADMINISTRATOR' WHERE id = ANY($1)`,
        [[x.id, y.id]],
      );

    it.each([
      ['disable', { disabled: true }],
      ['demote', { role: 'DEVELOPER' }],
    ])(
      'stays: when two administrators %s each other at once, exactly one of them succeeds',
      async (_, change) => {
        for (let round = 0; round < 3; round++) {
          await reset();
          // Fresh sessions: a disable in an earlier round ended the old ones.
          const [xs, ys] = [
            await withSession(app, x, new Date()),
            await withSession(app, y, new Date()),
          ];
          const [xv, yv] = [await versionOf(x), await versionOf(y)];
          const [onY, onX] = await Promise.all([
            update(xs, y, { version: yv, ...change }),
            update(ys, x, { version: xv, ...change }),
          ]);
          // The loser gets 409 (last administrator), 401 when it was disabled before its turn,
          // or 403 when it was demoted before its turn (no longer allowed to manage users).
          const statuses = [onY.statusCode, onX.statusCode];
          const said = `round ${round}: ${statuses.join(' and ')}`; // printed when it fails
          expect({
            said,
            successes: statuses.filter((s) => s === 200).length,
            refused: statuses.filter((s) => s === 409 || s === 401 || s === 403).length,
            activeAdmins: await activeAdmins(),
          }).toEqual({ said, successes: 1, refused: 1, activeAdmins: 1 });
        }
      },
    );

    it('cannot disable or demote themselves (409)', async () => {
      await reset();
      x = await withSession(app, x, new Date());
      expect((await update(x, y, { version: await versionOf(y), disabled: true })).statusCode).toBe(
        200,
      );
      expect(await activeAdmins()).toBe(1);
      for (const change of [{ disabled: true }, { role: 'DEVELOPER' }]) {
        const response = await update(x, x, { version: await versionOf(x), ...change });
        expect([response.statusCode, problemOf(response).code]).toEqual([409, 'state_conflict']);
      }
      expect(await activeAdmins()).toBe(1);
    });
  });
});
