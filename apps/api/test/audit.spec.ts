import { DataSource } from 'typeorm';

import { PackageMetadataService } from '../src/package-metadata/package-metadata.service';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

interface AuditRow {
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  package_id: string;
  changes: Record<string, { before?: unknown; after?: unknown }>;
  request_id: string;
}

describe('audit trail', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const auditOf = async (entityId: string) =>
    (
      await t.db.pool.query<AuditRow>(
        'SELECT actor, action, entity_type, entity_id, package_id, changes, request_id FROM audit_log WHERE entity_id = $1 ORDER BY occurred_at, action',
        [entityId],
      )
    ).rows;

  it('records create, update (changed fields before/after), soft delete and restore with the request id', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/packages',
      headers: { 'x-request-id': 'trace-123' },
      payload: { name: 'Audited', tags: ['a'] },
    });
    expect(created.headers['x-request-id']).toBe('trace-123');
    const { id } = json<{ id: string }>(created);
    await t.request({
      method: 'PUT',
      url: `/api/packages/${id}`,
      payload: { version: 1, name: 'Audited 2', tags: ['a'] },
    });
    await t.request({ method: 'DELETE', url: `/api/packages/${id}` });
    await t.request({ method: 'POST', url: `/api/packages/${id}/restore` });

    const rows = await auditOf(id);
    expect(rows.map((r) => r.action)).toEqual(['CREATE', 'UPDATE', 'SOFT_DELETE', 'RESTORE']);
    expect(rows[0]).toMatchObject({
      actor: t.admin.id,
      entity_type: 'package',
      package_id: id,
      request_id: 'trace-123',
      changes: { name: { after: 'Audited' }, tags: { after: ['a'] } },
    });
    expect(rows[1]?.changes).toEqual({ name: { before: 'Audited', after: 'Audited 2' } });
    expect(rows[2]?.changes['deletedAt']?.after).toEqual(expect.any(String));
  });

  it('records assets cascaded by a package delete', async () => {
    const { id } = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Cascade' } }),
    );
    const asset = json<{ id: string }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${id}/schemas`,
        payload: schemaDocument('s'),
      }),
    );
    await t.request({ method: 'DELETE', url: `/api/packages/${id}` });
    const rows = await auditOf(asset.id);
    expect(rows.map((r) => [r.action, r.package_id])).toEqual([
      ['CREATE', id],
      ['SOFT_DELETE', id],
    ]);
  });

  it('writes the audit row in the same transaction as the change: both roll back together', async () => {
    const db = t.app.get(DataSource);
    const packages = t.app.get(PackageMetadataService);
    const before = await t.db.count('SELECT count(*)::int AS n FROM audit_log');
    await expect(
      db.transaction(async (m) => {
        await packages.createIn(
          m,
          { name: 'Rolled back' },
          { all: true, userId: t.admin.id, packageIds: null },
        );
        const inside = await m.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_log');
        expect(inside[0]?.n).toBe(before + 1);
        throw new Error('fail after the write');
      }),
    ).rejects.toThrow('fail after the write');
    const after = await t.db.count('SELECT count(*)::int AS n FROM audit_log');
    expect(after).toBe(before);
    const named = await t.db.pool.query(
      `SELECT 1 FROM integration_packages WHERE name = 'Rolled back'`,
    );
    expect(named.rowCount).toBe(0);
  });

  it('keeps the audit log append-only', async () => {
    await expect(t.db.pool.query(`UPDATE audit_log SET actor = 'mallory'`)).rejects.toThrow(
      /immutable/,
    );
    await expect(t.db.pool.query('DELETE FROM audit_log')).rejects.toThrow(/immutable/);
  });
});
