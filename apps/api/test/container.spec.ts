import { assetBody } from './support/access-fixtures';
import { json, startTestApp, type TestApp } from './support/test-app';

interface Contents {
  packageId: string;
  totalAssets: number;
  byType: Record<string, number>;
  byStatus: Record<string, number>;
  byTypeAndStatus: { type: string; status: string; count: number }[];
  lastModified: { name: string }[];
  readiness: { status: string };
}
interface Page {
  items: { name: string; status: string; type: string }[];
  total: number;
  nextCursor: string | null;
}

describe('package container', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    id = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Container' } }),
    ).id;
    let schemaId: string | undefined;
    const add = async (segment: string, name: string, status = 'DRAFT') => {
      const type =
        segment === 'schemas'
          ? 'SCHEMA'
          : segment === 'adapters'
            ? 'ADAPTER'
            : segment === 'mappings'
              ? 'MAPPING'
              : 'FLOW';
      // A flow's status moves only through its transitions, READY behind the readiness gate
      // (flows.spec.ts): these empty flows get theirs directly, as a fixture.
      const response = await t.request({
        method: 'POST',
        url: `/api/packages/${id}/${segment}`,
        payload: {
          ...assetBody(type, name, { name }, schemaId),
          ...(type === 'FLOW' ? {} : { status }),
        },
      });
      const created = json<{ id: string }>(response).id;
      if (type === 'FLOW' && status !== 'DRAFT')
        await t.db.pool.query(`UPDATE package_assets SET status = $1 WHERE id = $2`, [
          status,
          created,
        ]);
      schemaId ??= created;
    };
    await add('schemas', 'Order XSD', 'READY');
    await add('schemas', 'Invoice XSD', 'READY');
    await add('adapters', 'ERP SFTP');
    await add('mappings', 'Order to IDoc');
    await add('flows', 'Orders in');
    await add('flows', 'Invoices out', 'READY');
    await add('flows', 'Old flow', 'ARCHIVED');
    await add('flows', 'Live flow', 'READY');
  });
  afterAll(() => t.close());

  it('summarises contents by type and status with the last modified assets', async () => {
    const response = await t.request({
      method: 'GET',
      url: `/api/packages/${id}/container/contents`,
    });
    expect(response.statusCode).toBe(200);
    const contents = json<Contents>(response);
    expect(contents).toMatchObject({
      packageId: id,
      totalAssets: 8,
      byType: { SCHEMA: 2, ADAPTER: 1, MAPPING: 1, FLOW: 4 },
      byStatus: { DRAFT: 3, READY: 4, ARCHIVED: 1 },
      readiness: { status: 'NOT_EVALUATED' },
    });
    // Deployment state is per environment (the flows issue), never an asset status.
    expect(Object.keys(contents.byStatus)).toEqual(['DRAFT', 'READY', 'ARCHIVED']);
    expect(contents.byTypeAndStatus).toContainEqual({ type: 'FLOW', status: 'READY', count: 2 });
    expect(contents.lastModified[0]?.name).toBe('Live flow');
    expect(contents.lastModified).toHaveLength(8);
  });

  it.each([
    ['schemas', ['Invoice XSD', 'Order XSD']],
    ['adapters', ['ERP SFTP']],
    ['mappings', ['Order to IDoc']],
    ['flows', ['Invoices out', 'Live flow', 'Old flow', 'Orders in']],
  ])('lists the package %s library', async (library, names) => {
    const response = await t.request({
      method: 'GET',
      url: `/api/packages/${id}/container/${library}`,
    });
    expect(response.statusCode).toBe(200);
    const page = json<Page>(response);
    expect(page.items.map((a) => a.name)).toEqual(names);
    expect(page.total).toBe(names.length);
  });

  it('filters a library by status and q, and pages it', async () => {
    const ready = json<Page>(
      await t.request({ method: 'GET', url: `/api/packages/${id}/container/flows?status=READY` }),
    );
    expect(ready.items.map((a) => a.name)).toEqual(['Invoices out', 'Live flow']);
    const q = json<Page>(
      await t.request({ method: 'GET', url: `/api/packages/${id}/container/flows?q=flow` }),
    );
    expect(q.items.map((a) => a.name)).toEqual(['Live flow', 'Old flow']);
    const first = json<Page>(
      await t.request({ method: 'GET', url: `/api/packages/${id}/container/flows?limit=3` }),
    );
    const second = json<Page>(
      await t.request({
        method: 'GET',
        url: `/api/packages/${id}/container/flows?limit=3&cursor=${first.nextCursor}`,
      }),
    );
    expect([...first.items, ...second.items].map((a) => a.name)).toEqual([
      'Invoices out',
      'Live flow',
      'Old flow',
      'Orders in',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it.each(['DEPLOYED', 'SUSPENDED'])(
    'refuses the status filter %s with a 400 naming the allowed values',
    async (status) => {
      const response = await t.request({
        method: 'GET',
        url: `/api/packages/${id}/container/flows?status=${status}`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      const problem = json<{ errors: { path: string; message: string }[] }>(response);
      expect(problem.errors.map((e) => e.path)).toEqual(['status']);
      expect(problem.errors[0]?.message).toMatch(/DRAFT, READY, ARCHIVED/);
    },
  );

  it('lists deployed flows per environment, not by asset status (none deployed here)', async () => {
    const response = await t.request({
      method: 'GET',
      url: `/api/packages/${id}/container/flows/active`,
    });
    expect(response.statusCode).toBe(200);
    expect(json<{ items: unknown[] }>(response).items).toEqual([]);
  });

  it('answers 404 for a missing or deleted package and 400 for a non-UUID id', async () => {
    expect(
      (
        await t.request({
          method: 'GET',
          url: '/api/packages/5e0c8a9b-2f44-4b1e-8c7d-0a1b2c3d4e5f/container/contents',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await t.request({ method: 'GET', url: '/api/packages/nope/container/schemas' })).statusCode,
    ).toBe(400);
    const gone = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Gone' } }),
    ).id;
    await t.request({ method: 'DELETE', url: `/api/packages/${gone}` });
    expect(
      (await t.request({ method: 'GET', url: `/api/packages/${gone}/container/flows` })).statusCode,
    ).toBe(404);
  });
});
