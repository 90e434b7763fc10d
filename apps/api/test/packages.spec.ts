import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

import { adapterBody } from './support/access-fixtures';
import { assetCountMismatches } from './support/invariants';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

interface Package {
  id: string;
  name: string;
  description: string;
  tags: string[];
  owner: string | null;
  version: number;
  assetCounts: Record<string, number>;
  totalAssets: number;
  deletedAt: string | null;
}
interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; code: string }[];
  current?: { version: number; name: string };
}

describe('package library API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = async (body: Record<string, unknown>) => {
    const response = await t.request({ method: 'POST', url: '/api/packages', payload: body });
    return { response, body: json<Package & Problem>(response) };
  };

  it('creates a package and answers 201 with Location, ETag and version 1', async () => {
    const { response, body } = await create({
      name: '  Order to Cash  ',
      description: 'Orders to the ERP',
      tags: ['sales', 'erp'],
      owner: 'team-finance',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['location']).toBe(`/api/packages/${body.id}`);
    expect(response.headers['etag']).toBe('"1"');
    expect(body).toMatchObject({
      name: 'Order to Cash',
      description: 'Orders to the ERP',
      tags: ['sales', 'erp'],
      owner: 'team-finance',
      version: 1,
      assetCounts: { SCHEMA: 0, ADAPTER: 0, MAPPING: 0, FLOW: 0 },
      totalAssets: 0,
      deletedAt: null,
    });
  });

  it('refuses a second live package with the same name in any letter case (409)', async () => {
    await create({ name: 'Procure to Pay' });
    const { response, body } = await create({ name: 'PROCURE TO PAY' });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(body.code).toBe('name_conflict');
    expect(body.errors).toEqual([{ path: 'name', message: 'already taken', code: 'unique' }]);
  });

  it('keeps names unique among the packages the caller can see, so a name never reveals an invisible package', async () => {
    const alice = await t.createUser({ role: 'DEVELOPER' });
    const bob = await t.createUser({ role: 'DEVELOPER' });
    const createAs = (user: typeof alice, name: string) =>
      t.request({ method: 'POST', url: '/api/packages', as: user, payload: { name } });
    const secret = await createAs(alice, 'Secret Merger');
    expect(secret.statusCode).toBe(201);
    // Bob cannot see Alice's package: his create succeeds, exactly as if the name were unused.
    const mine = await createAs(bob, 'SECRET MERGER');
    expect(mine.statusCode).toBe(201);
    expect(
      (
        await t.request({
          method: 'GET',
          url: `/api/packages/${json<Package>(secret).id}`,
          as: bob,
        })
      ).statusCode,
    ).toBe(404);
    // Among what he can see, the name is taken (his own package).
    const again = await createAs(bob, 'secret merger');
    expect(again.statusCode).toBe(409);
    expect(json<Problem>(again).code).toBe('name_conflict');
    // An administrator sees both and cannot make a third.
    expect((await create({ name: 'Secret merger' })).response.statusCode).toBe(409);
  });

  it('names every invalid field in one 400', async () => {
    const { response, body } = await create({
      name: '',
      tags: ['ok', 'ok'],
      owner: 5,
      extra: true,
    });
    expect(response.statusCode).toBe(400);
    expect(body.code).toBe('validation_failed');
    const paths = body.errors.map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['extra', 'name', 'owner', 'tags']));
    expect(body.errors.find((e) => e.path === 'extra')?.code).toBe('unknown_field');
  });

  it('gets a package by id, 404 for an unknown one and 400 for a non-UUID id', async () => {
    const { body: created } = await create({ name: 'Record to Report' });
    const found = await t.request({ method: 'GET', url: `/api/packages/${created.id}` });
    expect(found.statusCode).toBe(200);
    expect(json<Package>(found).name).toBe('Record to Report');
    expect(found.headers['etag']).toBe('"1"');

    const missing = await t.request({
      method: 'GET',
      url: '/api/packages/7d0f3f2e-1c9b-4c7e-9a51-3d2f7f3b9c10',
    });
    expect(missing.statusCode).toBe(404);
    expect(json<Problem>(missing).code).toBe('not_found');

    const bad = await t.request({ method: 'GET', url: '/api/packages/not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(json<Problem>(bad).errors).toEqual([
      { path: 'id', message: 'must be a UUID', code: 'uuid' },
    ]);
  });

  describe('updates', () => {
    it('updates with the current version (body or If-Match) and keeps fields left out', async () => {
      const { body: created } = await create({
        name: 'Hire to Retire',
        description: 'HR',
        tags: ['hr'],
      });
      const byBody = await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        payload: { version: 1, description: 'Human resources' },
      });
      expect(byBody.statusCode).toBe(200);
      expect(json<Package>(byBody)).toMatchObject({
        name: 'Hire to Retire',
        description: 'Human resources',
        tags: ['hr'],
        version: 2,
      });

      const byHeader = await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        headers: { 'if-match': '"2"' },
        payload: { owner: 'team-hr' },
      });
      expect(byHeader.statusCode).toBe(200);
      expect(json<Package>(byHeader)).toMatchObject({
        owner: 'team-hr',
        description: 'Human resources',
        version: 3,
      });

      const unchanged = await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        payload: { version: 3, owner: 'team-hr' },
      });
      expect(json<Package>(unchanged).version).toBe(3);
    });

    it('answers 412 with the current state to a stale version', async () => {
      const { body: created } = await create({ name: 'Lead to Order' });
      await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        payload: { version: 1, name: 'Lead to Order v2' },
      });
      const stale = await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        payload: { version: 1, name: 'Mine' },
      });
      expect(stale.statusCode).toBe(412);
      const problem = json<Problem>(stale);
      expect(problem.code).toBe('version_conflict');
      expect(problem.current).toMatchObject({ version: 2, name: 'Lead to Order v2' });
    });

    it('answers 428 when no version is sent and 400 when body and If-Match disagree', async () => {
      const { body: created } = await create({ name: 'Issue to Resolution' });
      const none = await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        payload: { name: 'x' },
      });
      expect(none.statusCode).toBe(428);
      expect(json<Problem>(none).code).toBe('version_required');

      const both = await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        headers: { 'if-match': '"2"' },
        payload: { version: 1 },
      });
      expect(both.statusCode).toBe(400);
      expect(json<Problem>(both).errors[0]?.path).toBe('if-match');
    });

    it('refuses to rename onto another live package (409) but allows a case change of its own name', async () => {
      await create({ name: 'Taken Name' });
      const { body: created } = await create({ name: 'Free Name' });
      const clash = await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        payload: { version: 1, name: 'taken name' },
      });
      expect(clash.statusCode).toBe(409);
      const recase = await t.request({
        method: 'PUT',
        url: `/api/packages/${created.id}`,
        payload: { version: 1, name: 'FREE NAME' },
      });
      expect(recase.statusCode).toBe(200);
      expect(json<Package>(recase).name).toBe('FREE NAME');
    });
  });

  describe('delete and restore', () => {
    it('soft-deletes a package with its assets in one go and restores exactly those', async () => {
      const { body: pkg } = await create({ name: 'Deletable' });
      const schema = json<{ id: string }>(
        await t.request({
          method: 'POST',
          url: `/api/packages/${pkg.id}/schemas`,
          payload: schemaDocument('A'),
        }),
      );
      const earlier = json<{ id: string }>(
        await t.request({
          method: 'POST',
          url: `/api/packages/${pkg.id}/flows`,
          payload: { name: 'Old flow', nodes: [], edges: [] },
        }),
      );
      expect(
        (await t.request({ method: 'DELETE', url: `/api/packages/${pkg.id}/flows/${earlier.id}` }))
          .statusCode,
      ).toBe(204);

      const deleted = await t.request({ method: 'DELETE', url: `/api/packages/${pkg.id}` });
      expect(deleted.statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url: `/api/packages/${pkg.id}` })).statusCode).toBe(
        404,
      );
      expect(
        (await t.request({ method: 'GET', url: `/api/packages/${pkg.id}/schemas/${schema.id}` }))
          .statusCode,
      ).toBe(404);
      const live = await t.db.count(
        'SELECT count(*)::int AS n FROM package_assets WHERE package_id = $1 AND deleted_at IS NULL',
        [pkg.id],
      );
      expect(live).toBe(0);

      const listedDeleted = json<Page<Package>>(
        await t.request({ method: 'GET', url: '/api/packages?deleted=true' }),
      );
      expect(listedDeleted.items.map((p) => p.id)).toContain(pkg.id);

      const restored = await t.request({ method: 'POST', url: `/api/packages/${pkg.id}/restore` });
      expect(restored.statusCode).toBe(200);
      expect(json<Package>(restored)).toMatchObject({
        deletedAt: null,
        assetCounts: { SCHEMA: 1, FLOW: 0 },
      });
      expect(
        (await t.request({ method: 'GET', url: `/api/packages/${pkg.id}/schemas/${schema.id}` }))
          .statusCode,
      ).toBe(200);
      expect(await assetCountMismatches(t.db.pool)).toEqual([]);
      // The flow deleted before the package stays deleted.
      expect(
        (await t.request({ method: 'GET', url: `/api/packages/${pkg.id}/flows/${earlier.id}` }))
          .statusCode,
      ).toBe(404);
    });

    it('frees the name of a deleted package and refuses to restore it while the name is taken (409)', async () => {
      const { body: first } = await create({ name: 'Reused Name' });
      await t.request({ method: 'DELETE', url: `/api/packages/${first.id}` });
      const { response: second } = await create({ name: 'reused name' });
      expect(second.statusCode).toBe(201);
      const restore = await t.request({ method: 'POST', url: `/api/packages/${first.id}/restore` });
      expect(restore.statusCode).toBe(409);
      expect(json<Problem>(restore).code).toBe('name_conflict');
    });

    it('answers 412 to a DELETE with a stale If-Match and deletes nothing', async () => {
      const { body: pkg } = await create({ name: 'Guarded' });
      await t.request({
        method: 'PUT',
        url: `/api/packages/${pkg.id}`,
        payload: { version: 1, description: 'changed' },
      });
      const stale = await t.request({
        method: 'DELETE',
        url: `/api/packages/${pkg.id}`,
        headers: { 'if-match': '1' },
      });
      expect(stale.statusCode).toBe(412);
      expect((await t.request({ method: 'GET', url: `/api/packages/${pkg.id}` })).statusCode).toBe(
        200,
      );
    });
  });

  describe('lists', () => {
    let listApp: TestApp;
    beforeAll(async () => {
      listApp = await startTestApp();
      for (let i = 0; i < 7; i++) {
        await listApp.request({
          method: 'POST',
          url: '/api/packages',
          payload: {
            name: `Package ${String.fromCharCode(65 + i)}`,
            description: i % 2 === 0 ? 'Invoices to customers' : 'Shipment notices',
            tags: i % 3 === 0 ? ['edi'] : ['api'],
            owner: i < 2 ? 'Team Finance' : null,
          },
        });
      }
    });
    afterAll(() => listApp.close());

    const list = async (query: string) => {
      const response = await listApp.request({ method: 'GET', url: `/api/packages${query}` });
      expect(response.statusCode).toBe(200);
      return json<Page<Package>>(response);
    };

    it('pages through every package with a keyset cursor, in name order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page<Package> = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.total).toBe(7);
        seen.push(...page.items.map((p) => p.name));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((l) => `Package ${l}`));
    });

    it('sorts descending and by creation time', async () => {
      expect((await list('?sort=-name&limit=2')).items.map((p) => p.name)).toEqual([
        'Package G',
        'Package F',
      ]);
      const byCreation = await list('?sort=-createdAt&limit=7');
      expect(byCreation.items[0]?.name).toBe('Package G');
      const second = await list(`?sort=-createdAt&limit=4`);
      const rest = await list(`?sort=-createdAt&limit=4&cursor=${second.nextCursor}`);
      expect([...second.items, ...rest.items].map((p) => p.name)).toEqual(
        byCreation.items.map((p) => p.name),
      );
    });

    it('filters by full-text q (prefix), tag and creation range', async () => {
      expect((await list('?q=invoic')).total).toBe(4);
      expect((await list('?q=shipment%20notice')).total).toBe(3);
      expect((await list('?q=nothing-like-this')).total).toBe(0);
      expect((await list('?tag=edi')).items.map((p) => p.name)).toEqual([
        'Package A',
        'Package D',
        'Package G',
      ]);
      expect(
        (await list('?createdFrom=2000-01-01T00:00:00Z&createdTo=2999-01-01T00:00:00Z')).total,
      ).toBe(7);
      expect((await list('?createdFrom=2999-01-01T00:00:00Z')).total).toBe(0);
    });

    it('filters by owner (any letter case) and update range', async () => {
      expect((await list('?owner=team%20finance')).items.map((p) => p.name)).toEqual([
        'Package A',
        'Package B',
      ]);
      expect((await list('?owner=Nobody')).total).toBe(0);
      const all = await list('?sort=updatedAt&limit=7');
      const newest = all.items[6] as Package & { updatedAt: string };
      const since = await list(`?updatedFrom=${encodeURIComponent(newest.updatedAt)}`);
      expect(since.items.map((p) => p.name)).toEqual([newest.name]);
      const before = await list(`?updatedTo=${encodeURIComponent(newest.updatedAt)}`);
      expect(before.total).toBe(6);
      expect((await list('?updatedFrom=2999-01-01T00:00:00Z')).total).toBe(0);
      expect(
        (await list('?owner=Team%20Finance&updatedFrom=2000-01-01T00:00:00Z&sort=-name')).items.map(
          (p) => p.name,
        ),
      ).toEqual(['Package B', 'Package A']);
    });

    it('rejects a forged cursor, a cursor of another sort, a bad limit and unknown parameters (400)', async () => {
      const page = await list('?limit=2');
      const cases: [string, string][] = [
        ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
        [`?sort=-name&cursor=${page.nextCursor}`, 'cursor'],
        ['?limit=0', 'limit'],
        ['?limit=201', 'limit'],
        ['?limit=abc', 'limit'],
        ['?sort=size', 'sort'],
        ['?createdFrom=yesterday', 'createdFrom'],
        ['?updatedTo=tomorrow', 'updatedTo'],
        [`?owner=${'x'.repeat(201)}`, 'owner'],
        ['?color=red', 'color'],
      ];
      for (const [query, path] of cases) {
        const response = await listApp.request({ method: 'GET', url: `/api/packages${query}` });
        expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
        expect(json<Problem>(response).errors.map((e) => e.path)).toContain(path);
      }
    });

    it('carries asset counts by type, with a constant number of queries per page (no N+1)', async () => {
      const pkg = (await list('?limit=1')).items[0];
      for (const [segment, n] of [
        ['schemas', 2],
        ['adapters', 1],
        ['flows', 3],
      ] as const) {
        for (let i = 0; i < n; i++) {
          await listApp.request({
            method: 'POST',
            url: `/api/packages/${pkg.id}/${segment}`,
            payload:
              segment === 'schemas'
                ? schemaDocument(`${segment}-${i}`)
                : segment === 'adapters'
                  ? adapterBody(`${segment}-${i}`)
                  : { name: `${segment}-${i}`, nodes: [], edges: [] },
          });
        }
      }
      const counted = (await list('?limit=1')).items[0];
      expect(counted.assetCounts).toEqual({ SCHEMA: 2, ADAPTER: 1, MAPPING: 0, FLOW: 3 });
      expect(counted.totalAssets).toBe(6);

      const queries = jest.spyOn(PostgresQueryRunner.prototype, 'query');
      await list('?limit=1');
      const forOne = queries.mock.calls.length;
      queries.mockClear();
      await list('?limit=7');
      expect(queries.mock.calls.length).toBe(forOne);
      queries.mockRestore();
    });
  });
});

describe('purging a package', () => {
  it('leaves no orphans: assets, versions, details, dependencies and counters go with it', async () => {
    const t = await startTestApp();
    try {
      const pkg = json<{ id: string }>(
        await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Purged' } }),
      );
      const a = json<{ id: string }>(
        await t.request({
          method: 'POST',
          url: `/api/packages/${pkg.id}/schemas`,
          payload: schemaDocument('a'),
        }),
      );
      const b = json<{ id: string }>(
        await t.request({
          method: 'POST',
          url: `/api/packages/${pkg.id}/flows`,
          payload: { name: 'b', nodes: [], edges: [] },
        }),
      );
      await t.db.pool.query(
        `INSERT INTO package_asset_dependencies (from_asset_id, package_id, to_asset_id, kind, created_by, updated_by)
         VALUES ($1, $2, $3, 'FLOW_SCHEMA', 'test', 'test')`,
        [b.id, pkg.id, a.id],
      );
      await t.db.pool.query('DELETE FROM integration_packages WHERE id = $1', [pkg.id]);
      for (const table of [
        'package_assets',
        'asset_versions',
        'package_schemas',
        'package_flows',
        'package_asset_dependencies',
        'package_asset_counts',
      ]) {
        const column =
          table === 'package_assets' || table === 'package_asset_counts' ? 'package_id' : null;
        const n = column
          ? await t.db.count(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [
              pkg.id,
            ])
          : await t.db.count(`SELECT count(*)::int AS n FROM ${table}`);
        expect({ table, n }).toEqual({ table, n: 0 });
      }
      // The audit trail outlives what it describes.
      expect(
        await t.db.count('SELECT count(*)::int AS n FROM audit_log WHERE package_id = $1', [
          pkg.id,
        ]),
      ).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
