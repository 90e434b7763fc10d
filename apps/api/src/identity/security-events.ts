import { type EntityManager } from 'typeorm';

import { type AuditAction } from '../core/audit/audit-log.entity';
import { writeAudit } from '../core/audit/audit-writer';

/**
 * Writes a security event (sign-in, failure, denial) to the audit log, entity type "auth". These
 * are written on their own, outside the request's transaction, so a refused request still leaves
 * its trace.
 */
export async function recordSecurityEvent(
  m: EntityManager,
  action: AuditAction,
  userId: string | null,
  details: Record<string, unknown>,
  packageId: string | null = null,
): Promise<void> {
  await writeAudit(m, [
    {
      action,
      entityType: 'auth',
      entityId: userId,
      packageId,
      changes: Object.fromEntries(
        Object.entries(details).map(([key, value]) => [key, { after: value }]),
      ),
    },
  ]);
}
