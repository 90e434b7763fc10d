import { assetCountMismatches } from './support/invariants';
import { noteXsd } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

describe('concurrent writers', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.listen();
  });
  afterAll(() => t.close());

  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${t.admin.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('lets exactly one of two PUTs with the same version win; the other gets 412 and nothing is lost', async () => {
    for (let round = 0; round < 10; round++) {
      const pkg = json<{ id: string }>(
        await t.request({
          method: 'POST',
          url: '/api/packages',
          payload: { name: `Race ${round}` },
        }),
      );
      const [a, b] = await Promise.all([
        send('PUT', `/api/packages/${pkg.id}`, { version: 1, description: 'from A' }),
        send('PUT', `/api/packages/${pkg.id}`, { version: 1, description: 'from B' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const winner = a.status === 200 ? 'from A' : 'from B';
      const loser = (a.status === 412 ? a : b).json() as Promise<{
        current: { description: string; version: number };
      }>;
      expect((await loser).current).toMatchObject({ description: winner, version: 2 });
      const stored = json<{ description: string; version: number }>(
        await t.request({ method: 'GET', url: `/api/packages/${pkg.id}` }),
      );
      expect(stored).toMatchObject({ description: winner, version: 2 });
      const n = await t.db.count(
        `SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'UPDATE'`,
        [pkg.id],
      );
      expect(n).toBe(1);
    }
  });

  it('keeps asset versions linear when two editors save content at once', async () => {
    const pkg = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Asset race' } }),
    );
    const asset = json<{ id: string }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${pkg.id}/schemas`,
        payload: { name: 'S', type: 'XSD', document: noteXsd({ children: ['v1'] }) },
      }),
    );
    const url = `/api/packages/${pkg.id}/schemas/${asset.id}`;
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((who) =>
        send('PUT', url, { version: 1, document: noteXsd({ children: [`v2by${who}`] }) }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412]);
    const { rows } = await t.db.pool.query(
      'SELECT version_number FROM asset_versions WHERE asset_id = $1 ORDER BY 1',
      [asset.id],
    );
    expect(rows.map((r: { version_number: number }) => r.version_number)).toEqual([1, 2]);
  });

  it('lets exactly one of many creates with the same name succeed (409 for the rest)', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => send('POST', '/api/packages', { name: 'Same name' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const n = await t.db.count(
      `SELECT count(*)::int AS n FROM integration_packages WHERE lower(name) = 'same name'`,
    );
    expect(n).toBe(1);
  });

  it('keeps the asset counters exact, without deadlocks, under concurrent status changes and deletes', async () => {
    const pkg = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Counter race' } }),
    );
    const assets = await Promise.all(
      Array.from({ length: 8 }, async (_, i) =>
        json<{ id: string }>(
          await t.request({
            method: 'POST',
            url: `/api/packages/${pkg.id}/flows`,
            payload: { name: `f${i}`, content: i },
          }),
        ),
      ),
    );
    const results = await Promise.all(
      assets.flatMap((asset, i) => [
        send('PUT', `/api/packages/${pkg.id}/flows/${asset.id}`, {
          version: 1,
          status: i % 2 ? 'READY' : 'ARCHIVED',
        }),
        send('POST', `/api/packages/${pkg.id}/schemas`, {
          name: `s${i}`,
          type: 'XSD',
          document: noteXsd(),
          status: 'READY',
        }),
        i % 3 === 0
          ? send('DELETE', `/api/packages/${pkg.id}/flows/${asset.id}`)
          : Promise.resolve(undefined),
      ]),
    );
    expect(results.filter((r) => r !== undefined && r.status >= 500)).toEqual([]);
    expect(await assetCountMismatches(t.db.pool)).toEqual([]);
    const contents = json<{ totalAssets: number }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg.id}/container/contents` }),
    );
    const live = await t.db.count(
      'SELECT count(*)::int AS n FROM package_assets WHERE package_id = $1 AND deleted_at IS NULL',
      [pkg.id],
    );
    expect(contents.totalAssets).toBe(live);
  });

  it('never leaves an asset alive in a deleted package when create and delete race', async () => {
    for (let round = 0; round < 5; round++) {
      const pkg = json<{ id: string }>(
        await t.request({
          method: 'POST',
          url: '/api/packages',
          payload: { name: `Delete race ${round}` },
        }),
      );
      await Promise.all([
        send('POST', `/api/packages/${pkg.id}/flows`, { name: 'f', content: 1 }),
        send('DELETE', `/api/packages/${pkg.id}`),
      ]);
      const n = await t.db.count(
        'SELECT count(*)::int AS n FROM package_assets a JOIN integration_packages p ON p.id = a.package_id WHERE p.id = $1 AND p.deleted_at IS NOT NULL AND a.deleted_at IS NULL',
        [pkg.id],
      );
      expect(n).toBe(0);
    }
  });
});
