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

const BOOKKEEPING = new Set(['createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version']);
const REDACTED = '[redacted]';

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
    if (event.entity && hasColumn(event.metadata, 'updatedBy'))
      event.entity['updatedBy'] = currentActor();
  }

  beforeSoftRemove(event: SoftRemoveEvent<ObjectLiteral>): void {
    if (event.entity && hasColumn(event.metadata, 'updatedBy'))
      event.entity['updatedBy'] = currentActor();
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
    await this.recordLifecycle(event, 'SOFT_DELETE');
  }

  async afterRecover(event: RecoverEvent<ObjectLiteral>): Promise<void> {
    await this.recordLifecycle(event, 'RESTORE');
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
      if (BOOKKEEPING.has(propertyName) || ignore.has(propertyName) || propertyName === 'deletedAt')
        continue;
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

function hasColumn(metadata: EntityMetadata, propertyName: string): boolean {
  return metadata.columns.some((column) => column.propertyName === propertyName);
}
