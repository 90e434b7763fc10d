import { type Pool } from 'pg';

/** What a backend of the application waits for: an advisory lock, or a row another transaction holds. */
export type LockWait = 'advisory' | 'row';

/**
 * Resolves once `count` connections of the application under test (application_name integrixs)
 * wait for a lock of that kind in this database: the test then knows exactly where the request
 * is, instead of guessing with a sleep.
 */
export async function untilWaiting(
  pool: Pool,
  kind: LockWait,
  count = 1,
  timeoutMs = 15_000,
): Promise<void> {
  const events = kind === 'advisory' ? ['advisory'] : ['transactionid', 'tuple'];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'integrixs'
          AND wait_event_type = 'Lock' AND wait_event = ANY($1)`,
      [events],
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`no request waited for a ${kind} lock in time`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
