import { type DataSource, type EntityManager } from 'typeorm';

import { type AuditAction } from '../core/audit/audit-log.entity';
import { writeAudit, type AuditRow } from '../core/audit/audit-writer';
import {
  LIMITED_SECURITY_EVENTS,
  SecurityEventLimiter,
  type Suppressed,
} from './security-event-limiter';

const limiter = new SecurityEventLimiter();
const DRAIN_EVERY_MS = 1_000;
let lastDrain = 0;
let flushTimer: NodeJS.Timeout | undefined;

function row(
  action: AuditAction,
  userId: string | null,
  details: Record<string, unknown>,
  packageId: string | null,
): AuditRow {
  return {
    action,
    entityType: 'auth',
    entityId: userId,
    packageId,
    changes: Object.fromEntries(
      Object.entries(details).map(([key, value]) => [key, { after: value }]),
    ),
  };
}

function summaryRow(s: Suppressed): AuditRow {
  return row(
    'SECURITY_EVENTS_SUPPRESSED',
    null,
    {
      event: s.action,
      source: s.source,
      count: s.count,
      from: s.from.toISOString(),
      to: s.to.toISOString(),
    },
    null,
  );
}

/** Writes one summary row per ended window that left events out (see SecurityEventLimiter). */
export async function flushSuppressedSecurityEvents(
  db: DataSource,
  everything = false,
): Promise<void> {
  const ended = limiter.drain(Date.now(), everything);
  if (ended.length > 0 && db.isInitialized) await writeAudit(db.manager, ended.map(summaryRow));
}

/** Summaries are written by the next event after a window ends, or by this timer when none comes. */
function scheduleFlush(db: DataSource): void {
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = undefined;
    void flushSuppressedSecurityEvents(db).catch(() => undefined);
  }, 61_000);
  flushTimer.unref();
}

/**
 * Writes a security event (sign-in, failure, denial) to the audit log, entity type "auth". These
 * are written on their own, outside the request's transaction, so a refused request still leaves
 * its trace. Events anyone can cause without credentials are rate-limited per source (the
 * client IP in `details.ip`, else the user): past the limit they are counted and summarised in
 * one SECURITY_EVENTS_SUPPRESSED row per source and minute.
 */
export async function recordSecurityEvent(
  m: EntityManager,
  action: AuditAction,
  userId: string | null,
  details: Record<string, unknown>,
  packageId: string | null = null,
): Promise<void> {
  if (LIMITED_SECURITY_EVENTS.has(action)) {
    const source = typeof details['ip'] === 'string' ? details['ip'] : (userId ?? 'unknown');
    const admitted = limiter.admit(action, source);
    scheduleFlush(m.connection);
    if (!admitted) return;
  }
  const rows = [row(action, userId, details, packageId)];
  if (Date.now() - lastDrain >= DRAIN_EVERY_MS) {
    lastDrain = Date.now();
    rows.push(...limiter.drain().map(summaryRow));
  }
  await writeAudit(m, rows);
}
