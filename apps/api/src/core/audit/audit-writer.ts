import { type EntityManager } from 'typeorm';
import { type QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { currentActor, currentContext } from '../request-context/request-context';
import { AuditLogEntry, type AuditAction, type FieldChange } from './audit-log.entity';

export interface AuditRow {
  action: AuditAction;
  entityType: string;
  entityId: string | null;
  packageId: string | null;
  changes: Record<string, FieldChange>;
}

/**
 * Inserts audit rows through `manager`, so they commit or roll back with the change they
 * describe. The subscriber uses it for single entities; services use it for bulk statements
 * (e.g. soft-deleting every asset of a package) that bypass entity events.
 */
export async function writeAudit(manager: EntityManager, rows: AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  const actor = currentActor();
  const requestId = currentContext()?.requestId ?? null;
  await manager
    .createQueryBuilder()
    .insert()
    .into(AuditLogEntry)
    .values(
      rows.map((row) => ({ ...row, actor, requestId }) as QueryDeepPartialEntity<AuditLogEntry>),
    )
    .callListeners(false)
    .execute();
}
