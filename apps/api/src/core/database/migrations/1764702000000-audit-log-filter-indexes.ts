import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * One index per filter of GET /api/audit (audit-query.service.ts), each ending in the page
 * order (occurred_at, id), so a filtered page is an index range scan read backwards with the
 * keyset condition, never a sort of every matching row:
 * - package_id (package audit tab), entity_id (an entity's history, /audit/me): replace the
 *   (…, occurred_at) indexes, which could not serve the id tie-break of the keyset;
 * - actor ("what did this user do"), action (rare security events among many changes) and
 *   entity_type (e.g. every user change): new.
 * occurred_at alone (time ranges, retention cleanup) keeps audit_log_occurred.
 */
export class AuditLogFilterIndexes1764702000000 implements MigrationInterface {
  name = 'AuditLogFilterIndexes1764702000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX audit_log_package`);
    await db.query(`DROP INDEX audit_log_entity`);
    for (const column of ['package_id', 'entity_id', 'actor', 'action', 'entity_type']) {
      await db.query(
        `CREATE INDEX audit_log_by_${column} ON audit_log (${column}, occurred_at, id)`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const column of ['entity_type', 'action', 'actor', 'entity_id', 'package_id']) {
      await db.query(`DROP INDEX audit_log_by_${column}`);
    }
    await db.query(`CREATE INDEX audit_log_entity ON audit_log (entity_id, occurred_at)`);
    await db.query(`CREATE INDEX audit_log_package ON audit_log (package_id, occurred_at)`);
  }
}
