import {
  EventSubscriber,
  type EntityManager,
  type EntityMetadata,
  type EntitySubscriberInterface,
  type InsertEvent,
  type ObjectLiteral,
  type RecoverEvent,
  type RemoveEvent,
  type SoftRemoveEvent,
  type UpdateEvent,
} from 'typeorm';

import { currentActor } from '../request-context/request-context';
import { type AuditAction, type FieldChange } from './audit-log.entity';
import { writeAudit } from './audit-writer';
import { auditPolicyOf } from './audited.decorator';
import { REDACTED } from './redaction';

const BOOKKEEPING = new Set([
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'version',
  // Soft-delete columns: a SOFT_DELETE / RESTORE row (and its actor) says it.
  'deletedAt',
  'deletedBy',
  'deletionBatch',
]);

function toJson(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Writes one `audit_log` row per change of an @Audited entity, through the event's own
 * EntityManager, i.e. inside the same transaction as the change: both commit or neither does.
 * Also stamps `created_by` / `updated_by` from the request context.
 */
@EventSubscriber()
export class AuditSubscriber implements EntitySubscriberInterface {
  beforeInsert(event: InsertEvent<ObjectLiteral>): void {
    const entity = event.entity;
    if (!entity) return;
    const actor = currentActor();
    if (hasColumn(event.metadata, 'createdBy')) entity['createdBy'] ??= actor;
    if (hasColumn(event.metadata, 'updatedBy')) entity['updatedBy'] ??= actor;
  }

  beforeUpdate(event: UpdateEvent<ObjectLiteral>): void {
    // A query-builder update (manager.update, createQueryBuilder().update()) has no row before it.
    if (event.databaseEntity === undefined) refuseBulk(event.metadata, 'update');
    if (event.entity && hasColumn(event.metadata, 'updatedBy'))
      event.entity['updatedBy'] = currentActor();
  }

  beforeRemove(event: RemoveEvent<ObjectLiteral>): void {
    if (!event.entity) refuseBulk(event.metadata, 'delete');
  }

  beforeSoftRemove(event: SoftRemoveEvent<ObjectLiteral>): void {
    if (!event.entity) return refuseBulk(event.metadata, 'soft delete');
    const actor = currentActor();
    if (hasColumn(event.metadata, 'updatedBy')) event.entity['updatedBy'] = actor;
    if (hasColumn(event.metadata, 'deletedBy')) event.entity['deletedBy'] = actor;
  }

  beforeRecover(event: RecoverEvent<ObjectLiteral>): void {
    if (!event.entity) return refuseBulk(event.metadata, 'restore');
    if (hasColumn(event.metadata, 'updatedBy')) event.entity['updatedBy'] = currentActor();
    if (hasColumn(event.metadata, 'deletedBy')) event.entity['deletedBy'] = null;
    if (hasColumn(event.metadata, 'deletionBatch')) event.entity['deletionBatch'] = null;
  }

  async afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    const entity = event.entity;
    await this.record(event.manager, event.metadata, 'CREATE', entity, () =>
      this.changes(event.metadata, event.metadata.columns, undefined, entity),
    );
  }

  async afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    const entity = event.entity;
    if (!entity) return;
    await this.record(
      event.manager,
      event.metadata,
      'UPDATE',
      { ...event.databaseEntity, ...entity },
      () => this.changes(event.metadata, event.updatedColumns, event.databaseEntity, entity),
    );
  }

  async afterSoftRemove(event: SoftRemoveEvent<ObjectLiteral>): Promise<void> {
    await this.writeLifecycleColumns(event);
    await this.recordLifecycle(event, 'SOFT_DELETE');
  }

  async afterRecover(event: RecoverEvent<ObjectLiteral>): Promise<void> {
    await this.writeLifecycleColumns(event);
    await this.recordLifecycle(event, 'RESTORE');
  }

  /**
   * TypeORM's soft delete and restore write only deleted_at, updated_at and version: store who
   * did it (updated_by, deleted_by) and the deletion batch as the entity now holds them.
   */
  private async writeLifecycleColumns(
    event: SoftRemoveEvent<ObjectLiteral> | RecoverEvent<ObjectLiteral>,
  ): Promise<void> {
    const { entity, metadata } = event;
    if (!entity) return;
    const columns = metadata.columns.filter((c) =>
      ['updatedBy', 'deletedBy', 'deletionBatch'].includes(c.propertyName),
    );
    if (columns.length === 0) return;
    const values = columns.map((c) => c.getEntityValue(entity) as unknown);
    const keys = metadata.primaryColumns;
    const params = [...values, ...keys.map((c) => c.getEntityValue(entity) as unknown)];
    const set = columns.map((c, i) => `"${c.databaseName}" = $${i + 1}`).join(', ');
    const where = keys
      .map((c, i) => `"${c.databaseName}" = $${columns.length + i + 1}`)
      .join(' AND ');
    await event.manager.query(`UPDATE "${metadata.tableName}" SET ${set} WHERE ${where}`, params);
  }

  async afterRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
    const id: unknown = typeof event.entityId === 'string' ? event.entityId : event.entity?.['id'];
    const entity: ObjectLiteral = {
      ...event.databaseEntity,
      ...event.entity,
      ...(id === undefined ? {} : { id }),
    };
    await this.record(event.manager, event.metadata, 'DELETE', entity, () => ({}));
  }

  private async recordLifecycle(
    event: SoftRemoveEvent<ObjectLiteral> | RecoverEvent<ObjectLiteral>,
    action: AuditAction,
  ): Promise<void> {
    const entity = event.entity;
    if (!entity) return;
    const deletedAt = toJson(entity['deletedAt']);
    await this.record(event.manager, event.metadata, action, entity, () => ({
      deletedAt:
        action === 'SOFT_DELETE'
          ? { before: null, after: deletedAt }
          : { before: deletedAt, after: null },
    }));
  }

  private changes(
    metadata: EntityMetadata,
    columns: readonly { propertyName: string }[],
    before: ObjectLiteral | undefined,
    after: ObjectLiteral,
  ): Record<string, FieldChange> {
    const policy = auditPolicyOf(metadata.target);
    const redact = new Set<string>(policy?.redact ?? []);
    const ignore = new Set<string>(policy?.ignore ?? []);
    const result: Record<string, FieldChange> = {};
    for (const { propertyName } of columns) {
      if (BOOKKEEPING.has(propertyName) || ignore.has(propertyName)) continue;
      const hide = (value: unknown) => (redact.has(propertyName) ? REDACTED : toJson(value));
      const change: FieldChange = { after: hide(after[propertyName]) };
      if (before) change.before = hide(before[propertyName]);
      result[propertyName] = change;
    }
    return result;
  }

  private async record(
    manager: EntityManager,
    metadata: EntityMetadata,
    action: AuditAction,
    entity: ObjectLiteral | undefined,
    changes: () => Record<string, FieldChange>,
  ): Promise<void> {
    const policy = auditPolicyOf(metadata.target);
    if (!policy || !entity) return;
    await writeAudit(manager, [
      {
        action,
        entityType: policy.entityType,
        entityId:
          (policy.entityIdOf ? policy.entityIdOf(entity) : (entity['id'] as string | undefined)) ??
          null,
        packageId: policy.packageIdOf(entity) ?? null,
        changes: changes(),
      },
    ]);
  }
}

/**
 * Query-builder updates and deletes name no rows, so no audit row could say what changed:
 * refused for audited entities (load and save the entities, or write raw SQL together with
 * writeAudit rows, as PackageAssetsService.removeAll does).
 */
function refuseBulk(metadata: EntityMetadata, what: string): void {
  const policy = auditPolicyOf(metadata.target);
  if (!policy) return;
  throw new Error(
    `a query-builder ${what} of ${metadata.tableName} would bypass the audit log (${policy.entityType} is audited); change loaded entities instead`,
  );
}

function hasColumn(metadata: EntityMetadata, propertyName: string): boolean {
  return metadata.columns.some((column) => column.propertyName === propertyName);
}
