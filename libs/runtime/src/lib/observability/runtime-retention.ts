import { type SqlClient } from '../runtime-types';

export interface RuntimeRetentionOptions {
  /** Messages that finished (SUCCEEDED, DEAD_LETTERED, CANCELLED) received this long ago go. */
  executionRetentionDays: number;
  /** Payloads stored this long ago go, unless an OPEN dead letter or a waiting message needs them. */
  payloadRetentionDays: number;
  /** Rows per batch: each batch is its own short transaction (default 500). */
  batchSize?: number;
  /** Pause between two batches, so the cleanup never monopolises the database (default 100). */
  pauseMs?: number;
  /** Hears every batch (the table and the rows it deleted). */
  onBatch?: (table: 'runtime_payloads' | 'runtime_messages', deleted: number) => void;
  /** Stops between batches when it answers true (shutdown). */
  stopped?: () => boolean;
}

export interface RuntimeRetentionResult {
  /** false: another instance holds the cleanup lock; nothing was done. */
  ran: boolean;
  payloads: number;
  messages: number;
}

/** The advisory lock key both the API and the worker take (one cleanup at a time). */
export const RUNTIME_RETENTION_LOCK = 'integrixs runtime retention';

const WAITING = `('QUEUED', 'RUNNING', 'RETRYING')`;

/**
 * Payloads past their retention. Kept: one an OPEN dead letter points at (replay needs it), and
 * any a message still waiting or running needs (its input, or where it resumes).
 */
const EXPIRED_PAYLOADS = `
  SELECT p.id FROM runtime_payloads p
   WHERE p.created_at < now() - make_interval(days => $1)
     AND NOT EXISTS (SELECT 1 FROM runtime_dead_letters d
                      WHERE d.payload_id = p.id AND d.status = 'OPEN')
     AND NOT EXISTS (SELECT 1 FROM runtime_messages m
                      WHERE m.id = p.message_id AND m.status IN ${WAITING})
     AND p.id NOT IN (SELECT m.resume_payload_id FROM runtime_messages m
                       WHERE m.status IN ${WAITING} AND m.resume_payload_id IS NOT NULL)
   LIMIT $2 FOR UPDATE OF p SKIP LOCKED`;

/**
 * Finished messages past their retention (their steps, payloads and effects go with them by
 * cascade). Kept: a message with an OPEN dead letter (it is still the operator's work).
 */
const EXPIRED_MESSAGES = `
  SELECT m.id FROM runtime_messages m
   WHERE m.received_at < now() - make_interval(days => $1)
     AND m.status IN ('SUCCEEDED', 'DEAD_LETTERED', 'CANCELLED')
     AND NOT EXISTS (SELECT 1 FROM runtime_dead_letters d
                      WHERE d.message_id = m.id AND d.status = 'OPEN')
   LIMIT $2 FOR UPDATE OF m SKIP LOCKED`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deletes expired runtime data in small batches, each its own short transaction with a lock
 * timeout (rows a worker holds are skipped, never waited for), pausing between batches, on one
 * instance at a time: `session` must be ONE connection (a pg Client or a pool's checked-out
 * client), on which a session advisory lock is held for the run.
 */
export async function runRuntimeRetention(
  session: SqlClient,
  options: RuntimeRetentionOptions,
): Promise<RuntimeRetentionResult> {
  const batchSize = options.batchSize ?? 500;
  const pauseMs = options.pauseMs ?? 100;
  const { rows } = await session.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
    [RUNTIME_RETENTION_LOCK],
  );
  if (!rows[0]?.locked) return { ran: false, payloads: 0, messages: 0 };
  const result: RuntimeRetentionResult = { ran: true, payloads: 0, messages: 0 };
  try {
    const tasks = [
      ['runtime_payloads', EXPIRED_PAYLOADS, options.payloadRetentionDays, 'payloads'],
      ['runtime_messages', EXPIRED_MESSAGES, options.executionRetentionDays, 'messages'],
    ] as const;
    for (const [table, select, days, counter] of tasks) {
      for (;;) {
        if (options.stopped?.()) return result;
        const deleted = await batch(session, table, select, [days, batchSize]);
        result[counter] += deleted;
        options.onBatch?.(table, deleted);
        if (deleted < batchSize) break;
        await sleep(pauseMs);
      }
    }
    return result;
  } finally {
    await session.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [
      RUNTIME_RETENTION_LOCK,
    ]);
  }
}

async function batch(
  session: SqlClient,
  table: string,
  select: string,
  params: unknown[],
): Promise<number> {
  await session.query('BEGIN');
  try {
    await session.query(`SET LOCAL lock_timeout = '5s'`);
    const deleted = await session.query(`DELETE FROM ${table} WHERE id IN (${select})`, params);
    await session.query('COMMIT');
    return deleted.rowCount ?? 0;
  } catch (error) {
    await session.query('ROLLBACK');
    throw error;
  }
}
