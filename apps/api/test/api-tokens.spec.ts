import { createHash } from 'node:crypto';

import { type Permission } from '@integrixs/domain';

import {
  bearer,
  createApiToken,
  createAsset,
  createPackage,
  isHiddenPackage,
  problemOf,
  type CreatedApiToken,
  type CreatedAsset,
} from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface TokenView {
  id: string;
  name: string;
  hint: string;
  permissions: string[];
  packageIds: string[] | null;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const DAY = 86400_000;

describe('API tokens for CI pipelines', () => {
  let t: TestApp;
  let pkg: string;
  let otherPkg: string;
  let asset: CreatedAsset;
  /** A global DEVELOPER, DEVELOPER member of both packages. */
  let owner: TestUser;
  let readWrite: CreatedApiToken;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Tokens package');
    otherPkg = await createPackage(t, 'Other package');
    asset = await createAsset(t, pkg, 'SCHEMA', { name: 'Token schema' });
    owner = await t.createUser({
      role: 'DEVELOPER',
      packages: { [pkg]: 'DEVELOPER', [otherPkg]: 'DEVELOPER' },
    });
    readWrite = await createApiToken(t, owner, {
      name: 'Pipeline',
      permissions: ['package:list', 'package:read', 'asset:read', 'asset:write'],
      packageIds: [pkg],
    });
  });
  afterAll(() => t.close());

  it('tells the caller their role and permissions in a package, narrowed by the token', async () => {
    const asOwner = json<{ yourRole: string; yourPermissions: string[] }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}`, as: owner }),
    );
    expect(asOwner.yourRole).toBe('DEVELOPER');
    expect(asOwner.yourPermissions).toEqual(expect.arrayContaining(['asset:write', 'asset:lock']));
    expect(asOwner.yourPermissions).not.toContain('package:delete');
    const asToken = json<{ yourRole: string; yourPermissions: string[] }>(
      await use(readWrite.token),
    );
    expect(asToken.yourRole).toBe('DEVELOPER');
    expect(asToken.yourPermissions.sort()).toEqual(['asset:read', 'asset:write', 'package:read']);
  });

  const tokenRow = async (id: string) =>
    (
      await t.db.pool.query<{
        token_hash: string;
        last_used_at: Date | null;
        row: string;
      }>(
        'SELECT token_hash, last_used_at, row_to_json(t)::text AS row FROM api_tokens t WHERE id = $1',
        [id],
      )
    ).rows[0];

  const use = (token: string, url = `/api/packages/${pkg}`) =>
    t.request({ method: 'GET', url, as: bearer(owner, token) });

  describe('creating and listing', () => {
    it('shows the token once, prefixed ixt_, and stores only its sha256 hash', async () => {
      expect(readWrite.token).toMatch(/^ixt_[A-Za-z0-9_-]{40,}$/);
      expect(readWrite).toMatchObject({
        name: 'Pipeline',
        hint: `${readWrite.token.slice(0, 8)}…`,
        permissions: ['package:list', 'package:read', 'asset:read', 'asset:write'],
        packageIds: [pkg],
        lastUsedAt: null,
        revokedAt: null,
      });
      const row = await tokenRow(readWrite.id);
      expect(row?.token_hash).toBe(sha256(readWrite.token));
      expect(row?.row).not.toContain(readWrite.token);
      expect(row?.row).not.toContain(readWrite.token.slice(4));
    });

    it('expires in 90 days by default', async () => {
      const token = await createApiToken(t, owner, {
        name: 'Default expiry',
        permissions: ['package:list'],
      });
      const days = (Date.parse(token.expiresAt) - Date.now()) / DAY;
      expect(days).toBeGreaterThan(89.9);
      expect(days).toBeLessThanOrEqual(90);
    });

    it('lists the owner’s tokens without their values', async () => {
      const other = await t.createUser({ role: 'DEVELOPER' });
      const othersToken = await createApiToken(t, other, {
        name: 'Not yours',
        permissions: ['package:list'],
      });
      const response = await t.request({ method: 'GET', url: '/api/tokens', as: owner });
      expect(response.statusCode).toBe(200);
      const { items } = json<{ items: (TokenView & { token?: string })[] }>(response);
      expect(items.map((i) => i.id)).toContain(readWrite.id);
      expect(items.map((i) => i.id)).not.toContain(othersToken.id);
      for (const item of items) expect(item).not.toHaveProperty('token');
      expect(response.body).not.toContain(readWrite.token);
      expect(response.body).not.toContain(sha256(readWrite.token));
    });
  });

  describe('using a token', () => {
    it('authenticates as Authorization: Bearer ixt_… on the routes of its scopes', async () => {
      expect((await use(readWrite.token)).statusCode).toBe(200);
      expect((await use(readWrite.token, '/api/packages')).statusCode).toBe(200);
      const updated = await t.request({
        method: 'PUT',
        url: `/api/packages/${pkg}/schemas/${asset.id}`,
        payload: { version: asset.version, description: 'changed by CI' },
        as: bearer(owner, readWrite.token),
      });
      expect(updated.statusCode).toBe(200);
      expect(json<{ updatedBy: string }>(updated).updatedBy).toBe(owner.id);
    });

    it('refuses a route outside its scopes with 403', async () => {
      const caller = bearer(owner, readWrite.token);
      const outside = [
        { method: 'PUT' as const, url: `/api/packages/${pkg}`, payload: { version: 1, name: 'x' } },
        { method: 'POST' as const, url: '/api/packages', payload: { name: 'From CI' } },
        { method: 'GET' as const, url: '/api/assets' },
        { method: 'PUT' as const, url: `/api/packages/${pkg}/schemas/${asset.id}/lock` },
        // Interactive-only: a token can neither see the account nor mint more tokens.
        { method: 'GET' as const, url: '/api/auth/me' },
        { method: 'GET' as const, url: '/api/tokens' },
        {
          method: 'POST' as const,
          url: '/api/tokens',
          payload: { name: 'x', permissions: ['package:list'] },
        },
      ];
      for (const request of outside) {
        const response = await t.request({ ...request, as: caller });
        expect([
          request.method,
          request.url,
          response.statusCode,
          problemOf(response).code,
        ]).toEqual([request.method, request.url, 403, 'forbidden']);
      }
    });

    it('answers 404 for a package outside its package list, although its owner may see it', async () => {
      expect(
        (await t.request({ method: 'GET', url: `/api/packages/${otherPkg}`, as: owner }))
          .statusCode,
      ).toBe(200);
      expect(
        isHiddenPackage(await use(readWrite.token, `/api/packages/${otherPkg}`), otherPkg),
      ).toBe(true);
      const listed = json<{ items: { id: string }[] }>(await use(readWrite.token, '/api/packages'));
      expect(listed.items.map((p) => p.id)).toEqual([pkg]);
    });

    it('can do no more in a package than its owner’s role there', async () => {
      const viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
      const token = await createApiToken(t, viewer, {
        name: 'Wants to write',
        permissions: ['asset:read', 'asset:write'],
      });
      const response = await t.request({
        method: 'PUT',
        url: `/api/packages/${pkg}/schemas/${asset.id}`,
        payload: { version: 99, description: 'x' },
        as: bearer(viewer, token.token),
      });
      expect(response.statusCode).toBe(403);
    });

    it('loses a global permission when its owner is demoted', async () => {
      const admin = await t.createUser({ role: 'ADMINISTRATOR' });
      const token = await createApiToken(t, admin, {
        name: 'Reads users',
        permissions: ['user:read'],
      });
      expect((await use(token.token, '/api/users')).statusCode).toBe(200);
      const current = json<{ version: number }>(
        await t.request({ method: 'GET', url: `/api/users/${admin.id}` }),
      );
      const demoted = await t.request({
        method: 'PUT',
        url: `/api/users/${admin.id}`,
        payload: { version: current.version, role: 'VIEWER' },
      });
      expect(demoted.statusCode).toBe(200);
      expect((await use(token.token, '/api/users')).statusCode).toBe(403);
    });

    it('records when it was last used', async () => {
      const token = await createApiToken(t, owner, {
        name: 'Usage',
        permissions: ['package:read'],
        packageIds: [pkg],
      });
      expect((await tokenRow(token.id))?.last_used_at).toBeNull();
      const before = Date.now();
      expect((await use(token.token)).statusCode).toBe(200);
      const lastUsed = (await tokenRow(token.id))?.last_used_at;
      expect(lastUsed?.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const listed = json<{ items: TokenView[] }>(
        await t.request({ method: 'GET', url: '/api/tokens', as: owner }),
      ).items.find((i) => i.id === token.id);
      expect(listed?.lastUsedAt).toBe(lastUsed?.toISOString());
    });

    it('is refused with 401 once expired', async () => {
      const token = await createApiToken(t, owner, {
        name: 'Short-lived',
        permissions: ['package:read'],
      });
      expect((await use(token.token)).statusCode).toBe(200);
      await t.db.pool.query(
        `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [token.id],
      );
      const response = await use(token.token);
      expect([response.statusCode, problemOf(response).code]).toEqual([401, 'unauthenticated']);
    });

    it('is refused with 401 once revoked, and shows when', async () => {
      const token = await createApiToken(t, owner, {
        name: 'Revoked',
        permissions: ['package:read'],
      });
      expect((await use(token.token)).statusCode).toBe(200);
      const revoked = await t.request({
        method: 'DELETE',
        url: `/api/tokens/${token.id}`,
        as: owner,
      });
      expect(revoked.statusCode).toBe(204);
      expect((await use(token.token)).statusCode).toBe(401);
      const listed = json<{ items: TokenView[] }>(
        await t.request({ method: 'GET', url: '/api/tokens', as: owner }),
      ).items.find((i) => i.id === token.id);
      expect(listed?.revokedAt).toEqual(expect.any(String));
      // Revoking again is harmless.
      expect(
        (await t.request({ method: 'DELETE', url: `/api/tokens/${token.id}`, as: owner }))
          .statusCode,
      ).toBe(204);
    });

    it('is refused with 401 when its owner is disabled', async () => {
      const user = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'VIEWER' } });
      const token = await createApiToken(t, user, {
        name: 'Owner leaves',
        permissions: ['package:read'],
      });
      expect(
        (
          await t.request({
            method: 'GET',
            url: `/api/packages/${pkg}`,
            as: bearer(user, token.token),
          })
        ).statusCode,
      ).toBe(200);
      const disabled = await t.request({
        method: 'PUT',
        url: `/api/users/${user.id}`,
        payload: { version: 1, disabled: true },
      });
      expect(disabled.statusCode).toBe(200);
      const response = await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}`,
        as: bearer(user, token.token),
      });
      expect([response.statusCode, problemOf(response).code]).toEqual([401, 'unauthenticated']);
    });

    it('is refused with 401 when it was never issued (a guessed or altered token)', async () => {
      const altered = `${readWrite.token.slice(0, -2)}${readWrite.token.endsWith('A') ? 'BB' : 'AA'}`;
      expect((await use(altered)).statusCode).toBe(401);
    });
  });

  describe('grant rules', () => {
    const createAs = (user: TestUser, body: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/api/tokens', payload: body, as: user });

    it.each<[string, Permission]>([
      ['package:create', 'package:create'],
      ['user:read', 'user:read'],
      ['audit:read', 'audit:read'],
      ['metrics:read', 'metrics:read'],
    ])('refuses %s to a VIEWER, whose global role lacks it (400)', async (_, permission) => {
      const viewer = await t.createUser({ role: 'VIEWER' });
      const response = await createAs(viewer, {
        name: 'Too much',
        permissions: ['package:list', permission],
      });
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).errors).toEqual([
        expect.objectContaining({ path: 'permissions[1]' }),
      ]);
    });

    it.each<Permission>(['account:self', 'token:manage', 'user:manage', 'credential:reveal'])(
      'refuses the interactive-only permission %s, even to an administrator (400)',
      async (permission) => {
        const response = await createAs(t.admin, {
          name: `With ${permission}`,
          permissions: [permission],
        });
        expect(response.statusCode).toBe(400);
        expect(problemOf(response).errors).toEqual([
          expect.objectContaining({ path: 'permissions[0]' }),
        ]);
      },
    );

    it('refuses an expiry in the past or more than a year ahead (400), accepts one within', async () => {
      for (const expiresAt of [
        new Date(Date.now() - 60_000).toISOString(),
        new Date(Date.now() + 400 * DAY).toISOString(),
      ]) {
        const response = await createAs(owner, {
          name: `Expiry ${expiresAt}`,
          permissions: ['package:list'],
          expiresAt,
        });
        expect(response.statusCode).toBe(400);
        expect(problemOf(response).errors.map((e) => e.path)).toEqual(['expiresAt']);
      }
      const within = await createAs(owner, {
        name: 'Nearly a year',
        permissions: ['package:list'],
        expiresAt: new Date(Date.now() + 360 * DAY).toISOString(),
      });
      expect(within.statusCode).toBe(201);
    });

    it('refuses a package the owner cannot reach (400)', async () => {
      const hidden = await createPackage(t, 'Not for the owner');
      const response = await createAs(owner, {
        name: 'Reach',
        permissions: ['package:read'],
        packageIds: [pkg, hidden],
      });
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).errors.map((e) => e.path)).toEqual(['packageIds[1]']);
    });

    it('refuses a second live token with the same name, in any case (409); a revoked one frees it', async () => {
      const first = await createApiToken(t, owner, {
        name: 'Nightly',
        permissions: ['package:list'],
      });
      const again = await createAs(owner, { name: 'NIGHTLY', permissions: ['package:list'] });
      expect(again.statusCode).toBe(409);
      // Another user may use the name.
      const other = await t.createUser({ role: 'VIEWER' });
      expect(
        (await createAs(other, { name: 'Nightly', permissions: ['package:list'] })).statusCode,
      ).toBe(201);
      await t.request({ method: 'DELETE', url: `/api/tokens/${first.id}`, as: owner });
      expect(
        (await createAs(owner, { name: 'Nightly', permissions: ['package:list'] })).statusCode,
      ).toBe(201);
    });

    it("answers 404 to revoking another user's token, and leaves it working", async () => {
      const response = await t.request({
        method: 'DELETE',
        url: `/api/tokens/${readWrite.id}`,
        as: t.admin,
      });
      expect([response.statusCode, problemOf(response).detail]).toEqual([
        404,
        `API token ${readWrite.id} does not exist`,
      ]);
      expect((await use(readWrite.token)).statusCode).toBe(200);
    });
  });
});
