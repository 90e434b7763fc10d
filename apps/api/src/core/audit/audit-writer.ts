import { type EntityManager } from 'typeorm';
import { type QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

import { currentActor, currentContext } from '../request-context/request-context';
import { AuditLogEntry, type AuditAction, type FieldChange } from './audit-log.entity';
import { isSecretKey, REDACTED, redactSecrets } from './redaction';

export interface AuditRow {
  action: AuditAction;
  entityType: string;
  entityId: string | null;
  packageId: string | null;
  changes: Record<string, FieldChange>;
}

/** Writes started and not yet finished (security events are written without the request waiting). */
const pending = new Set<Promise<unknown>>();

/**
 * Resolves once every audit write started before the call has finished, written or failed.
 * Tests use it to prove that a request wrote nothing, without sleeping.
 */
export async function auditWritesSettled(): Promise<void> {
  await Promise.allSettled([...pending]);
}

/** Secret-looking fields, and secret-looking keys at any depth of a value, never reach the log. */
function redacted(changes: Record<string, FieldChange>): Record<string, FieldChange> {
  return Object.fromEntries(
    Object.entries(changes).map(([field, change]) => {
      const hide = (value: unknown) => (isSecretKey(field) ? REDACTED : redactSecrets(value));
      const out: FieldChange = {};
      if ('before' in change) out.before = hide(change.before);
      if ('after' in change) out.after = hide(change.after);
      return [field, out];
    }),
  );
}

/**
 * The last audit write per transaction. TypeORM runs the subscriber's events of one save in
 * parallel, and one connection runs one query at a time: writes in a transaction go in a queue.
 */
const lastWrite = new WeakMap<object, Promise<void>>();

/**
 * Inserts audit rows through `manager`, so they commit or roll back with the change they
 * describe. The subscriber uses it for single entities; services use it for bulk statements
 * (e.g. soft-deleting every asset of a package) that bypass entity events.
 */
export function writeAudit(manager: EntityManager, rows: AuditRow[]): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  const actor = currentActor();
  const requestId = currentContext()?.requestId ?? null;
  const insert = async () => {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditLogEntry)
      .values(
        rows.map(
          (row) =>
            ({
              ...row,
              changes: redacted(row.changes),
              actor,
              requestId,
            }) as QueryDeepPartialEntity<AuditLogEntry>,
        ),
      )
      .callListeners(false)
      .execute();
  };
  const runner = manager.queryRunner;
  const write = runner
    ? (lastWrite.get(runner) ?? Promise.resolve()).then(insert, insert)
    : insert();
  if (runner) lastWrite.set(runner, write);
  pending.add(write);
  void write.finally(() => pending.delete(write)).catch(() => undefined);
  return write;
}
