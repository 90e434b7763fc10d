import { type InjectOptions, type Response as InjectResponse } from 'light-my-request';

import {
  ASSET_PATH_SEGMENTS,
  ASSET_TYPES,
  roleAllows,
  ROLES,
  type AssetType,
  type Permission,
  type Role,
} from '@integrixs/domain';

import {
  assetBody,
  bearer,
  createApiToken,
  createAsset,
  createAssetOfEveryType,
  createPackage,
  fillPath,
  isHiddenPackage,
  mapLimit,
  openApiOperations,
  operationName,
  problemOf,
  segmentBefore,
  type CreatedAsset,
  type Operation,
} from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * Object-level authorisation (BOLA): members of package A guess package B's ids through every
 * route shape. Whatever they try, they get 404 (or the 403 their role in A earns on A's own
 * routes), never a byte of B's data, and nothing of B changes.
 */

/** Words only B's objects carry: none of them may ever reach A's members. */
const B_MARK = 'bravosecret';
const A_MARK = 'alphaopen';

const LABELS: Record<AssetType, string> = {
  SCHEMA: 'Schema',
  ADAPTER: 'Adapter',
  MAPPING: 'Mapping',
  FLOW: 'Flow',
};

/** A request with a plain string URL (so it can name itself in a failure). */
interface Attempt {
  method: InjectOptions['method'];
  url: string;
  payload?: Record<string, unknown>;
  headers?: Record<string, string>;
}

interface AssetRouteShape {
  name: string;
  permission: Permission;
  request(packageId: string, asset: CreatedAsset): Attempt;
}

/** Every way of addressing one asset (the routes asset-controller.factory.ts builds). */
const ASSET_ROUTE_SHAPES: AssetRouteShape[] = [
  {
    name: 'GET',
    permission: 'asset:read',
    request: (p, a) => ({ method: 'GET', url: `/api/packages/${p}/${a.segment}/${a.id}` }),
  },
  {
    name: 'PUT',
    permission: 'asset:write',
    request: (p, a) => ({
      method: 'PUT',
      url: `/api/packages/${p}/${a.segment}/${a.id}`,
      payload: { version: a.version, name: 'pwned', description: 'pwned' },
    }),
  },
  {
    name: 'DELETE',
    permission: 'asset:write',
    request: (p, a) => ({ method: 'DELETE', url: `/api/packages/${p}/${a.segment}/${a.id}` }),
  },
  {
    name: 'DELETE with If-Match',
    permission: 'asset:write',
    request: (p, a) => ({
      method: 'DELETE',
      url: `/api/packages/${p}/${a.segment}/${a.id}`,
      headers: { 'if-match': `"${a.version}"` },
    }),
  },
  {
    name: 'restore',
    permission: 'asset:write',
    request: (p, a) => ({
      method: 'POST',
      url: `/api/packages/${p}/${a.segment}/${a.id}/restore`,
    }),
  },
  {
    name: 'lock',
    permission: 'asset:lock',
    request: (p, a) => ({ method: 'PUT', url: `/api/packages/${p}/${a.segment}/${a.id}/lock` }),
  },
  {
    name: 'unlock',
    permission: 'asset:lock',
    request: (p, a) => ({
      method: 'DELETE',
      url: `/api/packages/${p}/${a.segment}/${a.id}/lock`,
    }),
  },
];

/** A body that would do real harm if the request got through (the guard must stop it first). */
function harmfulBody(operation: Operation, attacker: TestUser): Record<string, unknown> {
  const { method, path } = operation;
  if (path.endsWith('/members/{userId}')) return { role: 'ADMINISTRATOR' };
  if (method === 'PUT') return { version: 1, name: 'pwned', description: 'pwned' };
  const created = ASSET_TYPES.find((t) => path.endsWith(`/${ASSET_PATH_SEGMENTS[t]}`));
  if (method === 'POST' && created) return assetBody(created, `pwned by ${attacker.username}`);
  return {};
}

describe('object-level authorisation across packages (BOLA)', () => {
  let t: TestApp;
  let a: string;
  let b: string;
  let aAssets: Record<AssetType, CreatedAsset>;
  let bAssets: Record<AssetType, CreatedAsset>;
  let bDeleted: CreatedAsset;
  let bAdmin: TestUser;
  /** Global DEVELOPERs who are members of A with each package role (and of nothing else). */
  const membersOfA = new Map<Role, TestUser>();
  let operations: Operation[];
  let before: string;

  /** Everything of B (and its audit trail), to prove no attempt changed it. */
  const snapshotOfB = async (): Promise<string> => {
    const query = async (sql: string) =>
      (await t.db.pool.query<Record<string, unknown>>(sql, [b])).rows;
    return JSON.stringify({
      package: await query('SELECT * FROM integration_packages WHERE id = $1'),
      assets: await query('SELECT * FROM package_assets WHERE package_id = $1 ORDER BY id'),
      versions: await query(
        'SELECT v.* FROM asset_versions v JOIN package_assets a ON a.id = v.asset_id WHERE a.package_id = $1 ORDER BY v.id',
      ),
      members: await query('SELECT * FROM package_members WHERE package_id = $1 ORDER BY user_id'),
      writes: await query(
        `SELECT id FROM audit_log WHERE package_id = $1 AND entity_type <> 'auth' ORDER BY id`,
      ),
    });
  };

  beforeAll(async () => {
    t = await startTestApp();
    operations = await openApiOperations(t);
    bAdmin = await t.createUser({ role: 'DEVELOPER' });
    a = await createPackage(t, `Package ${A_MARK}`);
    b = await createPackage(t, `Package ${B_MARK}`, {
      as: bAdmin,
      description: `${B_MARK} description`,
    });
    aAssets = await createAssetOfEveryType(t, a, A_MARK);
    bAssets = await createAssetOfEveryType(t, b, B_MARK, `${B_MARK} description`);
    bDeleted = await createAsset(t, b, 'SCHEMA', { name: `${B_MARK} deleted` });
    const removed = await t.request({
      method: 'DELETE',
      url: `/api/packages/${b}/${bDeleted.segment}/${bDeleted.id}`,
    });
    expect(removed.statusCode).toBe(204);
    for (const role of ROLES) {
      membersOfA.set(role, await t.createUser({ role: 'DEVELOPER', packages: { [a]: role } }));
    }
    before = await snapshotOfB();
  });
  afterAll(() => t.close());

  /** No trace of B in a response, apart from the ids the request itself sent (`echoes`). */
  const expectNothingOfB = (response: InjectResponse, echoes: string[] = []) => {
    const body = echoes.reduce((text, id) => text.replaceAll(id, ''), response.body);
    expect(body.toLowerCase()).not.toContain(B_MARK);
    expect(body).not.toContain(b);
  };

  describe.each(ROLES)('a %s member of package A', (role) => {
    const attacker = () => {
      const user = membersOfA.get(role);
      if (!user) throw new Error(`no ${role} member of A`);
      return user;
    };

    it.each(ASSET_ROUTE_SHAPES.map((shape) => [shape.name, shape] as const))(
      "gets 404 for B's assets addressed through A (%s)",
      async (_, shape) => {
        const targets = [...Object.values(bAssets), bDeleted];
        for (const target of targets) {
          const response = await t.request({ ...shape.request(a, target), as: attacker() });
          if (roleAllows(role, shape.permission)) {
            expect({ status: response.statusCode, detail: problemOf(response).detail }).toEqual({
              status: 404,
              detail: `${LABELS[target.type]} ${target.id} does not exist`,
            });
          } else {
            expect(response.statusCode).toBe(403);
          }
          expectNothingOfB(response);
        }
      },
    );

    it("gets 404 for A's own assets addressed under another asset type", async () => {
      if (!roleAllows(role, 'asset:read')) return;
      for (const type of ASSET_TYPES) {
        const other = ASSET_TYPES.find((x) => x !== type) ?? 'SCHEMA';
        const response = await t.request({
          method: 'GET',
          url: `/api/packages/${a}/${ASSET_PATH_SEGMENTS[other]}/${aAssets[type].id}`,
          as: attacker(),
        });
        expect(response.statusCode).toBe(404);
      }
    });

    it("gets the guard's 404 for every route under /api/packages/{B}, whatever it sends", async () => {
      const shapes = operations.filter((o) => o.path.startsWith('/api/packages/{id}'));
      expect(shapes.length).toBeGreaterThan(20);
      const results = await mapLimit(shapes, 6, async (operation) => {
        const values: Record<string, string> = {};
        for (const param of operation.pathParams) {
          const segment = segmentBefore(operation.path, param) ?? '';
          const type = ASSET_TYPES.find((x) => ASSET_PATH_SEGMENTS[x] === segment);
          values[param] =
            param === 'id'
              ? b
              : type
                ? bAssets[type].id
                : segment === 'members'
                  ? attacker().id
                  : b;
        }
        const response = await t.request({
          method: operation.method as InjectOptions['method'],
          url: fillPath(operation.path, values),
          ...(operation.hasBody ? { payload: harmfulBody(operation, attacker()) } : {}),
          as: attacker(),
        });
        expectNothingOfB(response, [b]);
        return [operationName(operation), isHiddenPackage(response, b) ? 404 : response.statusCode];
      });
      expect(Object.fromEntries(results)).toEqual(
        Object.fromEntries(shapes.map((o) => [operationName(o), 404])),
      );
    });

    it("never sees B's assets, even with A's asset ids mixed in, under /api/packages/{B}", async () => {
      for (const type of ASSET_TYPES) {
        const response = await t.request({
          method: 'GET',
          url: `/api/packages/${b}/${ASSET_PATH_SEGMENTS[type]}/${aAssets[type].id}`,
          as: attacker(),
        });
        expect(isHiddenPackage(response, b)).toBe(true);
      }
    });

    it("does not find B in package lists or B's assets in search", async () => {
      const urls = [
        '/api/packages',
        `/api/packages?q=${B_MARK}`,
        '/api/packages?deleted=true',
        '/api/packages?limit=100',
        '/api/assets',
        `/api/assets?q=${B_MARK}`,
        `/api/assets?q=${B_MARK}&type=SCHEMA`,
        '/api/assets?limit=100',
      ];
      for (const url of urls) {
        const response = await t.request({ method: 'GET', url, as: attacker() });
        expect(response.statusCode).toBe(200);
        expectNothingOfB(response);
        const page = json<{ items: { id: string; packageId?: string }[]; total: number }>(response);
        for (const item of page.items) expect([item.id, item.packageId]).toContain(a);
      }
      const own = json<{ items: { id: string }[] }>(
        await t.request({ method: 'GET', url: `/api/assets?q=${A_MARK}`, as: attacker() }),
      );
      expect(own.items).toHaveLength(ASSET_TYPES.length);
    });

    it("lists neither B's assets in A's libraries nor B's members among A's", async () => {
      if (!roleAllows(role, 'asset:read')) return;
      for (const type of ASSET_TYPES) {
        const library = await t.request({
          method: 'GET',
          url: `/api/packages/${a}/container/${ASSET_PATH_SEGMENTS[type]}?limit=100`,
          as: attacker(),
        });
        expect(library.statusCode).toBe(200);
        expectNothingOfB(library);
      }
      const members = await t.request({
        method: 'GET',
        url: `/api/packages/${a}/members`,
        as: attacker(),
      });
      expect(members.statusCode).toBe(200);
      expect(members.body).not.toContain(bAdmin.id);
    });
  });

  it("does not let A's administrator remove or read B's members through A", async () => {
    const admin = membersOfA.get('ADMINISTRATOR');
    if (!admin) throw new Error('no admin of A');
    const removed = await t.request({
      method: 'DELETE',
      url: `/api/packages/${a}/members/${bAdmin.id}`,
      as: admin,
    });
    expect({ status: removed.statusCode, detail: problemOf(removed).detail }).toEqual({
      status: 404,
      detail: `Member ${bAdmin.id} does not exist`,
    });
  });

  it("does not show B's audit trail through A's audit route", async () => {
    const admin = membersOfA.get('ADMINISTRATOR');
    if (!admin) throw new Error('no admin of A');
    for (const query of [`packageId=${b}`, `entityId=${bAssets.SCHEMA.id}`, 'limit=100']) {
      const response = await t.request({
        method: 'GET',
        url: `/api/packages/${a}/audit?${query}`,
        as: admin,
      });
      expect(response.statusCode).toBe(200);
      const page = json<{ items: { packageId: string | null }[] }>(response);
      for (const item of page.items) expect(item.packageId).toBe(a);
      expectNothingOfB(response);
    }
  });

  describe('an API token limited to package A', () => {
    let owner: TestUser;
    let tokenCaller: TestUser;

    beforeAll(async () => {
      // A global administrator: their own sessions reach every package, B included.
      owner = await t.createUser({ role: 'ADMINISTRATOR' });
      const token = await createApiToken(t, owner, {
        name: 'A only',
        permissions: [
          'package:list',
          'package:read',
          'package:update',
          'package:delete',
          'package:members',
          'package:audit',
          'asset:search',
          'asset:read',
          'asset:write',
          'asset:lock',
        ],
        packageIds: [a],
      });
      tokenCaller = bearer(owner, token.token);
    });

    it('reaches A', async () => {
      const response = await t.request({
        method: 'GET',
        url: `/api/packages/${a}`,
        as: tokenCaller,
      });
      expect(response.statusCode).toBe(200);
    });

    it('cannot reach B (404) although its owner can', async () => {
      const asOwner = await t.request({ method: 'GET', url: `/api/packages/${b}`, as: owner });
      expect(asOwner.statusCode).toBe(200);
      const attempts: Attempt[] = [
        { method: 'GET', url: `/api/packages/${b}` },
        { method: 'PUT', url: `/api/packages/${b}`, payload: { version: 1, name: 'pwned' } },
        { method: 'DELETE', url: `/api/packages/${b}` },
        { method: 'POST', url: `/api/packages/${b}/restore` },
        { method: 'GET', url: `/api/packages/${b}/members` },
        {
          method: 'PUT',
          url: `/api/packages/${b}/members/${owner.id}`,
          payload: { role: 'ADMINISTRATOR' },
        },
        { method: 'GET', url: `/api/packages/${b}/audit` },
        { method: 'GET', url: `/api/packages/${b}/container/contents` },
        ...ASSET_TYPES.flatMap((type) =>
          ASSET_ROUTE_SHAPES.map((shape) => shape.request(b, bAssets[type])),
        ),
        ...ASSET_TYPES.map((type) => ({
          method: 'POST' as const,
          url: `/api/packages/${b}/${ASSET_PATH_SEGMENTS[type]}`,
          payload: assetBody(type, 'pwned'),
        })),
      ];
      for (const attempt of attempts) {
        const response = await t.request({ ...attempt, as: tokenCaller });
        expect([`${attempt.method} ${attempt.url}`, isHiddenPackage(response, b)]).toEqual([
          `${attempt.method} ${attempt.url}`,
          true,
        ]);
      }
    });

    it('lists and searches A only, although its owner sees B', async () => {
      const ownerSearch = await t.request({
        method: 'GET',
        url: `/api/assets?q=${B_MARK}`,
        as: owner,
      });
      expect(json<{ total: number }>(ownerSearch).total).toBeGreaterThan(0);
      for (const url of ['/api/packages', `/api/packages?q=${B_MARK}`, `/api/assets?q=${B_MARK}`]) {
        const response = await t.request({ method: 'GET', url, as: tokenCaller });
        expect(response.statusCode).toBe(200);
        expectNothingOfB(response);
      }
      const packages = json<{ items: { id: string }[] }>(
        await t.request({ method: 'GET', url: '/api/packages', as: tokenCaller }),
      );
      expect(packages.items.map((p) => p.id)).toEqual([a]);
    });
  });

  it('changed nothing of B', async () => {
    expect(await snapshotOfB()).toBe(before);
  });
});
