import { DataSource } from 'typeorm';

import { AssetService } from '../src/asset/asset.service';
import { PackageAsset } from '../src/asset/entities/package-asset.entity';
import { writeAudit } from '../src/core/audit/audit-writer';
import { IntegrationPackage } from '../src/package-metadata/entities/integration-package.entity';
import { PackageMetadataService } from '../src/package-metadata/package-metadata.service';
import { assetCountMismatches } from './support/invariants';
import { noteXsd, schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface AuditRowView {
  actor: string;
  action: string;
  entity_type: string;
  package_id: string | null;
  changes: Record<string, { before?: unknown; after?: unknown }>;
}

/** What the audit log can be trusted with: every change recorded, by whom, and no secret in clear. */
describe('audit integrity', () => {
  let t: TestApp;
  let developer: TestUser;
  let pkg: string;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage('Audited');
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
  });
  afterAll(() => t.close());

  async function createPackage(name: string): Promise<string> {
    return json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name } }),
    ).id;
  }

  async function createFlow(packageId: string, name: string, as?: TestUser): Promise<string> {
    const response = await t.request({
      method: 'POST',
      url: `/api/packages/${packageId}/flows`,
      payload: { name, nodes: [], edges: [] },
      ...(as ? { as } : {}),
    });
    expect(response.statusCode).toBe(201);
    return json<{ id: string }>(response).id;
  }

  const auditRows = async (entityId: string): Promise<AuditRowView[]> =>
    (
      await t.db.pool.query<AuditRowView>(
        `SELECT actor, action, entity_type, package_id, changes FROM audit_log
          WHERE entity_id = $1 ORDER BY occurred_at, id`,
        [entityId],
      )
    ).rows;

  const lifecycle = async (table: string, id: string) =>
    (
      await t.db.pool.query<{
        deleted_by: string | null;
        updated_by: string;
        deletion_batch: string | null;
      }>(`SELECT deleted_by, updated_by, deletion_batch FROM ${table} WHERE id = $1`, [id])
    ).rows[0];

  it('refuses query-builder updates and deletes of audited entities, which no audit row could describe', async () => {
    const flow = await createFlow(pkg, 'Bulk target');
    const db = t.app.get(DataSource);
    const before = await auditRows(flow);
    const attempts: [string, () => Promise<unknown>][] = [
      ['manager.update', () => db.manager.update(PackageAsset, { id: flow }, { name: 'x' })],
      [
        'query builder update',
        () =>
          db
            .createQueryBuilder()
            .update(PackageAsset)
            .set({ description: 'x' })
            .where('id = :flow', { flow })
            .execute(),
      ],
      ['manager.delete', () => db.manager.delete(PackageAsset, { id: flow })],
      ['manager.softDelete', () => db.manager.softDelete(PackageAsset, { id: flow })],
      ['manager.restore', () => db.manager.restore(IntegrationPackage, { id: pkg })],
      ['manager.increment', () => db.manager.increment(PackageAsset, { id: flow }, 'version', 1)],
    ];
    for (const [what, attempt] of attempts) {
      await expect(attempt().then(() => what)).rejects.toThrow(/would bypass the audit log/);
    }
    const row = await t.db.pool.query(
      'SELECT name, description, deleted_at, version FROM package_assets WHERE id = $1',
      [flow],
    );
    expect(row.rows[0]).toEqual({
      name: 'Bulk target',
      description: '',
      deleted_at: null,
      version: 1,
    });
    expect(await auditRows(flow)).toEqual(before);
  });

  it('records who soft-deleted and who restored an asset, on the row and in the audit log', async () => {
    const flow = await createFlow(pkg, 'Lifecycle', developer);
    const deleted = await t.request({
      method: 'DELETE',
      url: `/api/packages/${pkg}/flows/${flow}`,
      as: developer,
    });
    expect(deleted.statusCode).toBe(204);
    expect(await lifecycle('package_assets', flow)).toEqual({
      deleted_by: developer.id,
      updated_by: developer.id,
      deletion_batch: null,
    });
    const restored = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/flows/${flow}/restore`,
    });
    expect(restored.statusCode).toBe(200);
    expect(json(restored)).toMatchObject({ updatedBy: t.admin.id });
    expect(await lifecycle('package_assets', flow)).toEqual({
      deleted_by: null,
      updated_by: t.admin.id,
      deletion_batch: null,
    });
    expect((await auditRows(flow)).map((r) => [r.action, r.actor])).toEqual([
      ['CREATE', developer.id],
      ['SOFT_DELETE', developer.id],
      ['RESTORE', t.admin.id],
    ]);
  });

  it('records who deleted a package and its assets, as one deletion batch, and who restored them', async () => {
    const owner = await t.createUser({ role: 'ADMINISTRATOR' });
    const other = await createPackage('Deleted by someone');
    const flow = await createFlow(other, 'Goes with it');
    expect(
      (await t.request({ method: 'DELETE', url: `/api/packages/${other}`, as: owner })).statusCode,
    ).toBe(204);
    const pkgRow = await lifecycle('integration_packages', other);
    expect(pkgRow).toMatchObject({ deleted_by: owner.id, updated_by: owner.id });
    expect(pkgRow?.deletion_batch).toEqual(expect.any(String));
    expect(await lifecycle('package_assets', flow)).toEqual({
      deleted_by: owner.id,
      updated_by: owner.id,
      deletion_batch: pkgRow?.deletion_batch,
    });
    expect(
      (await t.request({ method: 'POST', url: `/api/packages/${other}/restore` })).statusCode,
    ).toBe(200);
    for (const [table, id] of [
      ['integration_packages', other],
      ['package_assets', flow],
    ] as const) {
      expect(await lifecycle(table, id)).toEqual({
        deleted_by: null,
        updated_by: t.admin.id,
        deletion_batch: null,
      });
    }
  });

  it('restores exactly the assets deleted with the package, not one deleted on its own in the same transaction', async () => {
    const other = await createPackage('Batch restore');
    const keep = await createFlow(other, 'Deleted with the package');
    const alone = await createFlow(other, 'Deleted on its own');
    const db = t.app.get(DataSource);
    // One transaction (one now()), as a bulk operation would: the two deletions share a timestamp.
    await db.transaction(async (m) => {
      await t.app.get(AssetService).removeIn(m, other, 'FLOW', alone, {
        userId: t.admin.id,
        packageRole: 'ADMINISTRATOR',
      });
      await t.app.get(PackageMetadataService).removeIn(m, other);
    });
    const deletedAt = await t.db.pool.query<{ same: boolean }>(
      `SELECT count(DISTINCT deleted_at) = 1 AS same FROM package_assets WHERE package_id = $1`,
      [other],
    );
    expect(deletedAt.rows[0]?.same).toBe(true);

    const restored = await t.request({ method: 'POST', url: `/api/packages/${other}/restore` });
    expect(restored.statusCode).toBe(200);
    expect(json(restored)).toMatchObject({ assetCounts: { FLOW: 1 } });
    const flow = (id: string) =>
      t.request({ method: 'GET', url: `/api/packages/${other}/flows/${id}` });
    expect((await flow(keep)).statusCode).toBe(200);
    expect((await flow(alone)).statusCode).toBe(404);
    expect(await assetCountMismatches(t.db.pool)).toEqual([]);
  });

  it('redacts secret-looking keys at any depth of what it records', async () => {
    const db = t.app.get(DataSource);
    const entityId = '5e3c7a52-2d5e-4c4e-9f3a-2b8f0a1d9c11';
    await writeAudit(db.manager, [
      {
        action: 'UPDATE',
        entityType: 'adapter',
        entityId,
        packageId: pkg,
        changes: {
          clientSecret: { before: 'old-secret', after: 'new-secret' },
          passwordChangedAt: { after: '2026-01-01T00:00:00.000Z' },
          config: {
            before: { host: 'a.example', auth: { user: 'u', password: 'p1' } },
            after: {
              host: 'b.example',
              auth: { user: 'u', password: 'p2', 'X-Api-Key': 'k' },
              headers: [{ name: 'Authorization', Authorization: 'Bearer abc' }],
              oauth: { access_token: 't', refreshToken: 'r', tokenHint: 'ixt_1234' },
            },
          },
        },
      },
    ]);
    const [row] = await auditRows(entityId);
    expect(row?.changes).toEqual({
      clientSecret: { before: '[redacted]', after: '[redacted]' },
      passwordChangedAt: { after: '2026-01-01T00:00:00.000Z' },
      config: {
        before: { host: 'a.example', auth: { user: 'u', password: '[redacted]' } },
        after: {
          host: 'b.example',
          auth: { user: 'u', password: '[redacted]', 'X-Api-Key': '[redacted]' },
          headers: [{ name: 'Authorization', Authorization: '[redacted]' }],
          oauth: { access_token: '[redacted]', refreshToken: '[redacted]', tokenHint: 'ixt_1234' },
        },
      },
    });
  });

  it('has an index for every filter of the audit API (pages and totals never scan the whole log)', async () => {
    await t.db.pool.query(`
      INSERT INTO audit_log (occurred_at, actor, action, entity_type, entity_id, package_id, changes)
      SELECT now() - make_interval(secs => i),
             'user-' || (i % 100),
             CASE WHEN i % 1000 = 0 THEN 'REFRESH_TOKEN_REUSE'
                  ELSE (ARRAY['CREATE', 'UPDATE', 'SOFT_DELETE', 'RESTORE'])[1 + i % 4] END,
             CASE WHEN i % 500 = 0 THEN 'api_token' ELSE (ARRAY['asset', 'package', 'auth'])[1 + i % 3] END,
             md5('entity' || (i % 10000))::uuid,
             md5('package' || (i % 100))::uuid,
             '{}'
        FROM generate_series(1, 40000) i`);
    await t.db.pool.query('VACUUM ANALYZE audit_log');
    // The shapes AuditQueryService sends: a page (newest first, keyset) and its total.
    const filters: [string, string][] = [
      ['audit_log_by_package_id', `package_id = md5('package7')::uuid`],
      ['audit_log_by_entity_id', `entity_id = md5('entity7')::uuid`],
      [
        'audit_log_by_entity_id',
        `entity_id = md5('entity7')::uuid AND entity_type = ANY('{user,package_member}'::text[])`,
      ],
      ['audit_log_by_actor', `actor = 'user-7'`],
      ['audit_log_by_actor', `actor = 'user-7' AND occurred_at >= now() - interval '1 hour'`],
      ['audit_log_by_action', `action = 'REFRESH_TOKEN_REUSE'`],
      ['audit_log_by_entity_type', `entity_type = 'api_token'`],
      [
        'audit_log_occurred',
        `occurred_at >= now() - interval '30 minutes' AND occurred_at < now()`,
      ],
    ];
    const plans: Record<string, string[]> = {};
    for (const [, where] of filters) {
      const keyset = `(occurred_at, id) < (now() - interval '1 minute', '00000000-0000-0000-0000-000000000000'::uuid)`;
      const statements = [
        `SELECT id, actor FROM audit_log WHERE ${where} ORDER BY occurred_at DESC, id DESC LIMIT 51`,
        `SELECT id, actor FROM audit_log WHERE ${where} AND ${keyset} ORDER BY occurred_at DESC, id DESC LIMIT 51`,
        `SELECT count(*)::int AS n FROM audit_log WHERE ${where}`,
      ];
      plans[where] = [];
      for (const sql of statements) {
        const { rows } = await t.db.pool.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (FORMAT JSON) ${sql}`,
        );
        const plan = JSON.stringify(rows[0]?.['QUERY PLAN']);
        plans[where].push(/"Index Name":"([^"]+)"/.exec(plan)?.[1] ?? 'none (sequential scan)');
      }
    }
    expect(plans).toEqual(
      Object.fromEntries(filters.map(([index, where]) => [where, [index, index, index]])),
    );
  });

  it('files dependency rows, and their audit rows, under the package of the asset they start from', async () => {
    const other = await createPackage('Graph');
    const library = json<{ id: string }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${other}/schemas`,
        payload: schemaDocument('Note', noteXsd({ namespace: 'urn:test:dep' })),
      }),
    );
    const importer = await t.request({
      method: 'POST',
      url: `/api/packages/${other}/schemas`,
      payload: schemaDocument(
        'Envelope',
        `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:test:dep"
  targetNamespace="urn:test:dep-envelope" elementFormDefault="qualified">
  <xs:import namespace="urn:test:dep"/>
  <xs:element name="Envelope"><xs:complexType><xs:sequence>
    <xs:element ref="n:Note"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`,
      ),
    });
    expect(importer.statusCode).toBe(201);
    const edges = await t.db.pool.query<{ id: string; package_id: string; to_asset_id: string }>(
      `SELECT id, package_id, to_asset_id FROM package_asset_dependencies WHERE from_asset_id = $1`,
      [json<{ id: string }>(importer).id],
    );
    expect(edges.rows).toEqual([
      { id: expect.any(String) as unknown, package_id: other, to_asset_id: library.id },
    ]);
    const [created] = await auditRows(edges.rows[0]?.id ?? '');
    expect(created).toMatchObject({
      action: 'CREATE',
      entity_type: 'dependency',
      package_id: other,
    });
  });
});
