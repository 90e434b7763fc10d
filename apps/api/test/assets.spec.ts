import { adapterBody } from './support/access-fixtures';
import { noteXsd } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

interface Asset {
  id: string;
  packageId: string;
  type: string;
  name: string;
  status: string;
  tags: string[];
  currentVersion: number;
  version: number;
  content: unknown;
  contentHash: string;
  versionMessage: string;
}
interface Problem {
  code: string;
  errors: { path: string; code: string }[];
  current?: { version: number };
}

/** Schemas specialise these endpoints (content is a bundle): see schema-library.spec.ts. */
describe('generic asset endpoints', () => {
  let t: TestApp;
  let packageId: string;
  let otherPackageId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const create = async (name: string) =>
      json<{ id: string }>(
        await t.request({ method: 'POST', url: '/api/packages', payload: { name } }),
      ).id;
    packageId = await create('Assets');
    otherPackageId = await create('Other');
  });
  afterAll(() => t.close());

  const post = (segment: string, payload: Record<string, unknown>, pkg = packageId) =>
    t.request({ method: 'POST', url: `/api/packages/${pkg}/${segment}`, payload });
  /** A one-step flow graph (flows.spec.ts covers what graphs mean); `x` tells versions apart. */
  const graph = (x: number) => ({
    nodes: [{ id: 'a', kind: 'route', position: { x, y: 0 }, routes: [] }],
    edges: [],
  });
  const stored = (x: number) => ({
    nodes: [{ id: 'a', kind: 'route', position: { x, y: 0 }, routes: [], defaultBranch: null }],
    edges: [],
  });
  const empty = { nodes: [], edges: [] };

  // Every type has typed content now: adapters.spec.ts, mappings.spec.ts and flows.spec.ts
  // cover what it means; these tests use flows for what every type shares.
  it.each([['flows', 'FLOW', 'flowId']])(
    'creates, reads, updates and deletes %s',
    async (segment, type) => {
      const created = await post(segment, {
        name: `My ${type}`,
        description: 'first',
        tags: ['t1'],
        ...graph(1),
        message: 'initial',
      });
      expect(created.statusCode).toBe(201);
      const asset = json<Asset>(created);
      expect(created.headers['location']).toBe(`/api/packages/${packageId}/${segment}/${asset.id}`);
      expect(asset).toMatchObject({
        packageId,
        type,
        name: `My ${type}`,
        status: 'DRAFT',
        currentVersion: 1,
        version: 1,
        content: stored(1),
        versionMessage: 'initial',
      });
      expect(asset.contentHash).toMatch(/^[0-9a-f]{64}$/);

      const url = `/api/packages/${packageId}/${segment}/${asset.id}`;
      expect(json<Asset>(await t.request({ method: 'GET', url })).content).toEqual(stored(1));

      const updated = await t.request({
        method: 'PUT',
        url,
        payload: { version: 1, tags: ['t2'], ...graph(2) },
      });
      expect(updated.statusCode).toBe(200);
      expect(json<Asset>(updated)).toMatchObject({
        tags: ['t2'],
        currentVersion: 2,
        version: 2,
        content: stored(2),
      });

      expect((await t.request({ method: 'DELETE', url })).statusCode).toBe(204);
      expect((await t.request({ method: 'GET', url })).statusCode).toBe(404);
      const restored = await t.request({ method: 'POST', url: `${url}/restore` });
      expect(restored.statusCode).toBe(200);
      expect(json<Asset>(restored).currentVersion).toBe(2);
    },
  );

  it('keeps every content change as an immutable version and makes none for identical content', async () => {
    const asset = json<Asset>(await post('flows', { name: 'Versioned', ...graph(1) }));
    const url = `/api/packages/${packageId}/flows/${asset.id}`;
    // Same content with other key order: no new version, and nothing changes at all.
    const reordered = [{ routes: [], position: { y: 0, x: 1 }, kind: 'route', id: 'a' }];
    const same = json<Asset>(
      await t.request({ method: 'PUT', url, payload: { version: 1, edges: [], nodes: reordered } }),
    );
    expect(same).toMatchObject({ currentVersion: 1, version: 1 });
    await t.request({
      method: 'PUT',
      url,
      payload: { version: 1, ...graph(2), message: 'swap' },
    });
    const { rows } = await t.db.pool.query(
      'SELECT version_number, content, message FROM asset_versions WHERE asset_id = $1 ORDER BY version_number',
      [asset.id],
    );
    expect(rows).toEqual([
      { version_number: 1, content: stored(1), message: '' },
      { version_number: 2, content: stored(2), message: 'swap' },
    ]);
    await expect(
      t.db.pool.query('UPDATE asset_versions SET message = $1 WHERE asset_id = $2', [
        'tampered',
        asset.id,
      ]),
    ).rejects.toThrow(/immutable/);
  });

  it('refuses a duplicate name of the same type in the package (409), allows it for another type or package', async () => {
    expect((await post('adapters', adapterBody('Shared Name'))).statusCode).toBe(201);
    const clash = await post('adapters', adapterBody('shared name'));
    expect(clash.statusCode).toBe(409);
    expect(json<Problem>(clash).code).toBe('name_conflict');
    expect((await post('flows', { name: 'Shared Name', ...empty })).statusCode).toBe(201);
    expect((await post('adapters', adapterBody('Shared Name'), otherPackageId)).statusCode).toBe(
      201,
    );
  });

  it('requires content and refuses a status that is not an asset status', async () => {
    const withoutConfiguration = adapterBody('No content');
    delete withoutConfiguration['configuration'];
    const missing = await post('adapters', withoutConfiguration);
    expect(missing.statusCode).toBe(400);
    expect(json<Problem>(missing).errors.map((e) => e.path)).toEqual(['configuration']);
    const deployed = await post('adapters', { ...adapterBody('Sneaky'), status: 'DEPLOYED' });
    expect(deployed.statusCode).toBe(400);
    expect(json<Problem>(deployed).errors.map((e) => e.path)).toEqual(['status']);
  });

  it('refuses DEPLOYED and SUSPENDED, which are no asset statuses, on create and edit', async () => {
    // Flows change status only through their transitions (flows.spec.ts): an adapter here.
    const flow = json<Asset>(await post('adapters', adapterBody('Running')));
    const url = `/api/packages/${packageId}/adapters/${flow.id}`;
    for (const status of ['DEPLOYED', 'SUSPENDED']) {
      const edit = await t.request({ method: 'PUT', url, payload: { version: 1, status } });
      expect(edit.statusCode).toBe(400);
      expect(json<Problem>(edit).errors.map((e) => e.path)).toEqual(['status']);
    }
    const archived = await t.request({
      method: 'PUT',
      url,
      payload: { version: 1, status: 'ARCHIVED' },
    });
    expect(archived.statusCode).toBe(200);
    expect((await t.request({ method: 'DELETE', url })).statusCode).toBe(204);
  });

  it('never reaches an asset through another package or another type (404)', async () => {
    const schema = json<Asset>(await post('flows', { name: 'Private', ...empty }));
    expect(
      (
        await t.request({
          method: 'GET',
          url: `/api/packages/${otherPackageId}/flows/${schema.id}`,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await t.request({ method: 'GET', url: `/api/packages/${packageId}/mappings/${schema.id}` }))
        .statusCode,
    ).toBe(404);
    const put = await t.request({
      method: 'PUT',
      url: `/api/packages/${otherPackageId}/flows/${schema.id}`,
      payload: { version: 1, name: 'Hijacked' },
    });
    expect(put.statusCode).toBe(404);
    expect(
      json<Asset>(
        await t.request({ method: 'GET', url: `/api/packages/${packageId}/flows/${schema.id}` }),
      ).name,
    ).toBe('Private');
  });

  it('answers 404 when creating in a missing or deleted package', async () => {
    const gone = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Gone' } }),
    ).id;
    await t.request({ method: 'DELETE', url: `/api/packages/${gone}` });
    expect((await post('flows', { name: 'x', ...empty }, gone)).statusCode).toBe(404);
    expect(
      (await post('flows', { name: 'x', ...empty }, '0b8f1a52-7c1e-4a8e-9d23-5d4c1b2a3f40'))
        .statusCode,
    ).toBe(404);
  });

  it('answers 412 with the current asset to a stale version', async () => {
    const asset = json<Asset>(await post('flows', { name: 'Contended', ...graph(1) }));
    const url = `/api/packages/${packageId}/flows/${asset.id}`;
    await t.request({ method: 'PUT', url, payload: { version: 1, ...graph(2) } });
    const stale = await t.request({
      method: 'PUT',
      url,
      headers: { 'if-match': 'W/"1"' },
      payload: graph(3),
    });
    expect(stale.statusCode).toBe(412);
    expect(json<Problem>(stale).current).toMatchObject({ version: 2, content: stored(2) });
  });

  describe('GET /api/assets', () => {
    it('searches across packages by words, type, status and tag', async () => {
      await post('schemas', {
        name: 'Customer Invoice XSD',
        tags: ['finance'],
        type: 'XSD',
        document: noteXsd(),
        status: 'READY',
      });
      await post(
        'flows',
        { name: 'Invoice dispatch', description: 'sends invoices by SFTP', ...empty },
        otherPackageId,
      );
      const search = async (query: string) => {
        const response = await t.request({ method: 'GET', url: `/api/assets?${query}` });
        expect(response.statusCode).toBe(200);
        return json<{
          items: (Asset & { packageName: string; schemaType: string | null })[];
          total: number;
        }>(response);
      };
      const invoices = await search('q=invoice');
      expect(invoices.items.map((a) => [a.name, a.packageName, a.schemaType])).toEqual([
        ['Customer Invoice XSD', 'Assets', 'XSD'],
        ['Invoice dispatch', 'Other', null],
      ]);
      expect((await search('q=invoice&type=FLOW')).items.map((a) => a.name)).toEqual([
        'Invoice dispatch',
      ]);
      expect((await search('q=invoice&status=READY')).items.map((a) => a.name)).toEqual([
        'Customer Invoice XSD',
      ]);
      expect((await search('q=sftp')).items.map((a) => a.name)).toEqual(['Invoice dispatch']);
      expect((await search('tag=finance')).total).toBe(1);
      expect((await search("q=o'brien%20%5C%20%26%7C!%3A*")).total).toBe(0);
    });

    it('leaves out assets of deleted packages', async () => {
      const pkg = json<{ id: string }>(
        await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Temp' } }),
      ).id;
      await post('flows', { name: 'Zebra unique', ...empty }, pkg);
      expect(
        json<{ total: number }>(await t.request({ method: 'GET', url: '/api/assets?q=zebra' }))
          .total,
      ).toBe(1);
      await t.request({ method: 'DELETE', url: `/api/packages/${pkg}` });
      expect(
        json<{ total: number }>(await t.request({ method: 'GET', url: '/api/assets?q=zebra' }))
          .total,
      ).toBe(0);
    });
  });
});
