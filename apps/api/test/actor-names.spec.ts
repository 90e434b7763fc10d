import { randomUUID } from 'node:crypto';

import { createPackage } from './support/access-fixtures';
import { createSchema, schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Named {
  id: string;
  updatedBy: string;
  updatedByName: string | null;
}
interface Page<T> {
  items: T[];
}
interface AuditEntry {
  actor: string;
  actorName: string | null;
  action: string;
  entityId: string | null;
}

/**
 * Views name who changed a thing (issue 9 follow-up): beside the user id in `updatedBy` and
 * `actor`, the username (`updatedByName`, `actorName`), read in the statement that reads the
 * rows, null for `system` and for users that are gone.
 */
describe('usernames beside user ids', () => {
  let t: TestApp;
  let builder: TestUser;
  let pkg: string;
  let schemaId: string;

  beforeAll(async () => {
    t = await startTestApp();
    builder = await t.createUser({ role: 'DEVELOPER', username: 'bea.builder' });
    pkg = await createPackage(t, 'Named package', { as: builder });
    schemaId = (await createSchema(t, pkg, schemaDocument('Named schema'), builder)).id;
  });
  afterAll(() => t.close());

  const get = async <T>(url: string): Promise<T> => {
    const response = await t.request({ method: 'GET', url });
    expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    return json<T>(response);
  };
  const byBuilder = () => ({ updatedBy: builder.id, updatedByName: 'bea.builder' });

  it('names the last updater of packages in the list and the detail', async () => {
    const list = await get<Page<Named>>('/api/packages?limit=100');
    expect(list.items.find((p) => p.id === pkg)).toMatchObject(byBuilder());
    expect(await get<Named>(`/api/packages/${pkg}`)).toMatchObject(byBuilder());
  });

  it('names the last updater of assets in lists, search, container contents and the detail', async () => {
    const schemas = await get<Page<Named>>(`/api/packages/${pkg}/container/schemas`);
    expect(schemas.items).toEqual([expect.objectContaining(byBuilder())]);
    const found = await get<Page<Named>>('/api/assets?q=Named');
    expect(found.items.find((a) => a.id === schemaId)).toMatchObject(byBuilder());
    const contents = await get<{ lastModified: Named[] }>(
      `/api/packages/${pkg}/container/contents`,
    );
    expect(contents.lastModified).toEqual([expect.objectContaining(byBuilder())]);
    expect(await get<Named>(`/api/packages/${pkg}/schemas/${schemaId}`)).toMatchObject(byBuilder());
  });

  it('names the updater a write answers with (the caller)', async () => {
    const current = await get<Named & { version: number }>(`/api/packages/${pkg}`);
    const response = await t.request({
      method: 'PUT',
      url: `/api/packages/${pkg}`,
      payload: { version: current.version, description: 'renamed by the administrator' },
    });
    expect(response.statusCode).toBe(200);
    expect(json<Named>(response)).toMatchObject({
      updatedBy: t.admin.id,
      updatedByName: t.admin.username,
    });
  });

  it('names the actor of audit entries', async () => {
    const log = await get<Page<AuditEntry>>(`/api/packages/${pkg}/audit?entityId=${schemaId}`);
    expect(log.items.length).toBeGreaterThan(0);
    for (const entry of log.items) {
      expect(entry).toMatchObject({ actor: builder.id, actorName: 'bea.builder' });
    }
  });

  it('answers null for an actor that is no user or a user that is gone', async () => {
    const gone = await createPackage(t, 'Orphaned package');
    await t.db.pool.query('UPDATE integration_packages SET updated_by = $2 WHERE id = $1', [
      gone,
      randomUUID(),
    ]);
    expect(await get<Named>(`/api/packages/${gone}`)).toMatchObject({ updatedByName: null });
    const system = await createPackage(t, 'System package');
    await t.db.pool.query(`UPDATE integration_packages SET updated_by = 'system' WHERE id = $1`, [
      system,
    ]);
    const list = await get<Page<Named>>('/api/packages?limit=100');
    expect(list.items.find((p) => p.id === system)).toMatchObject({
      updatedBy: 'system',
      updatedByName: null,
    });
  });
});
