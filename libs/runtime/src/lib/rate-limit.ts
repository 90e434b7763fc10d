import { type FlowContent, type FlowRateLimit } from '@integrixs/domain';

import { type ExecutorContext, type MessageRow } from './executor-context';
import { inTransaction } from './pg-transaction';
import { type SqlClient } from './runtime-types';

/** The rate limit of a flow's source, or null when it has none. */
export function rateLimitOf(content: FlowContent): FlowRateLimit | null {
  const source = content.nodes.find((n) => n.kind === 'source');
  return source?.kind === 'source' && source.rateLimit ? source.rateLimit : null;
}

/**
 * The next start of the flow's schedule (GCRA without burst tolerance, on the flow's row in
 * `runtime_rate_limits`), taken in one atomic statement: with the emission interval
 * T = perSeconds/messages the caller gets the start `max(tat, now)` and `tat` moves to that
 * start + T (a first message creates the row). Starts are therefore spaced at least T apart, so
 * no window of `perSeconds` ever holds more than `messages` — a burst tolerance would let up to
 * 2·messages − 1 through after an idle spell, more than a target limited to `messages` accepts
 * (docs/decisions.md). Every call takes a start: null when it is now, else the later time
 * reserved for the caller (its message waits for it and then runs without asking again).
 *
 * "now" is the database's clock_timestamp() when the row is locked, so every worker counts on
 * one clock.
 */
export async function takeStart(
  db: SqlClient,
  flowId: string,
  environmentId: string,
  limit: FlowRateLimit,
): Promise<Date | null> {
  const interval = limit.perSeconds / limit.messages;
  const { rows } = await db.query<{ slot: Date; due: boolean }>(
    `INSERT INTO runtime_rate_limits AS r (flow_id, environment_id, tat)
     VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3::float8))
     ON CONFLICT (flow_id, environment_id) DO UPDATE
        SET tat = GREATEST(r.tat, clock_timestamp()) + make_interval(secs => $3::float8)
     RETURNING tat - make_interval(secs => $3::float8) AS slot,
               tat - make_interval(secs => $3::float8) <= clock_timestamp() AS due`,
    [flowId, environmentId, interval],
  );
  return rows[0].due ? null : rows[0].slot;
}

/**
 * After the claim, for a message of a flow whose source has a rate limit: a message that holds a
 * start from an earlier refusal (`rate_slot_at`) runs once that time has come, without a new
 * take (and gives the start up: a later retry takes its own); any other takes the next start.
 * A reserved start found more than one interval late (the worker or the job transport stalled)
 * is given up for a fresh take instead: several reserved starts falling due together would
 * otherwise run back to back, a burst the limit exists to prevent. So a start runs at most one
 * interval after its place in the schedule, and k + 1 consecutive starts span at least
 * (k − 1)·T even after a stall.
 * When the start is later, the message is put back as it was before the claim (QUEUED on a first
 * attempt, else RETRYING; attempts − 1, no worker, `next_attempt_at` and `rate_slot_at` = the
 * start) with its job enqueued for then, in one transaction. Answers null when the message may
 * run now, else when it will. Not an attempt: no step rows, no error, no dead letter. Each held
 * message is put back once, however long the backlog behind the limit (twice when a stall made
 * it miss its start).
 */
export async function throttle(
  ctx: ExecutorContext,
  message: MessageRow,
  limit: FlowRateLimit,
): Promise<Date | null> {
  const runAt = message.rate_slot_at
    ? await reservedStart(ctx, message, limit)
    : await takeStart(ctx.pool, message.flow_id, message.environment_id, limit);
  if (!runAt) return null;
  await inTransaction(ctx.pool, async (db) => {
    const { rowCount } = await db.query(
      `UPDATE runtime_messages
          SET status = CASE WHEN attempts > 1 THEN 'RETRYING' ELSE 'QUEUED' END,
              started_at = CASE WHEN attempts > 1 THEN started_at END,
              attempts = attempts - 1, worker_id = NULL, next_attempt_at = $3, rate_slot_at = $3
        WHERE id = $1 AND status = 'RUNNING' AND worker_id = $2`,
      [message.id, ctx.workerId, runAt],
    );
    // Not RUNNING here any more (swept meanwhile): whoever changed it owns its job.
    if (rowCount)
      await ctx.queue.enqueue(db, { messageId: message.id, flowId: message.flow_id, runAt });
  });
  return runAt;
}

/**
 * A held message's own start, on the database's clock: due and on time (the job runs at or
 * after it; given up now) → null; due but more than an interval late → a fresh take; not yet
 * (an extra job ran early) → the reserved time, to wait for it again.
 */
async function reservedStart(
  ctx: ExecutorContext,
  message: MessageRow,
  limit: FlowRateLimit,
): Promise<Date | null> {
  const { rows } = await ctx.pool.query<{ late: boolean }>(
    `UPDATE runtime_messages m SET rate_slot_at = NULL
       FROM (SELECT rate_slot_at FROM runtime_messages WHERE id = $1) AS held
      WHERE m.id = $1 AND held.rate_slot_at <= clock_timestamp()
      RETURNING held.rate_slot_at + make_interval(secs => $2::float8) < clock_timestamp() AS late`,
    [message.id, limit.perSeconds / limit.messages],
  );
  if (rows.length === 0) return message.rate_slot_at;
  return rows[0].late ? takeStart(ctx.pool, message.flow_id, message.environment_id, limit) : null;
}
