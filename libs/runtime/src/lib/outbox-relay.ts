import { type Pool, type PoolClient } from 'pg';

import { inTransaction } from './pg-transaction';
import { OUTBOX_CHANNEL } from './runtime-transport';
import type { RuntimeLogger } from './runtime-worker';

/** One due outbox row: the job of `messageId`, enqueued for the `seq`-th time. */
export interface OutboxRow {
  messageId: string;
  seq: string;
}

export interface OutboxRelayOptions {
  pool: Pool;
  /** Publishes rows; answers those the broker acknowledged (the rest stay in the outbox). */
  publish(rows: OutboxRow[]): Promise<OutboxRow[]>;
  /** The longest wait between two looks at the outbox (a lost NOTIFY, a PostgreSQL restart). */
  pollMs: number;
  logger: RuntimeLogger;
  /** Rows one pass publishes at most (another pass follows at once when it was full). */
  batchSize?: number;
}

const DEFAULT_BATCH = 256;

/**
 * Moves due outbox rows (runtime-transport.ts) to the broker: one pass locks up to `batchSize`
 * due rows (FOR UPDATE SKIP LOCKED: the relays of several workers share the outbox), publishes
 * them and deletes, in the same transaction, only the rows whose publish was acknowledged — a
 * row is gone only once the broker holds its job. A crash or a lost database between the ack
 * and the commit leaves the row to be published again (the broker drops the duplicate by its
 * message id within its duplicate window; after it, the executor skips a finished message).
 *
 * It wakes on NOTIFY (an enqueue's commit), at the earliest future `run_at` (a retry's backoff)
 * and at least every `pollMs`.
 */
export class OutboxRelay {
  private listener: PoolClient | undefined;
  private connecting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.wake();
  }

  /** Runs a pass now (or right after the one running). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.connecting;
    this.dropListener();
  }

  private async drain(): Promise<void> {
    let nextInMs = this.options.pollMs;
    try {
      this.listen();
      do {
        this.again = false;
        const pass = await this.pass();
        if (pass.full) this.again = true;
        nextInMs = Math.min(this.options.pollMs, pass.nextDueInMs ?? Infinity);
      } while (this.again && !this.stopped);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'job outbox relay failed; retrying');
    }
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.max(10, nextInMs));
    this.timer.unref();
  }

  /** One transaction: publish the due rows it locks, delete those acknowledged. */
  private pass(): Promise<{ full: boolean; nextDueInMs: number | null }> {
    const batch = this.options.batchSize ?? DEFAULT_BATCH;
    return inTransaction(this.options.pool, async (db) => {
      const { rows } = await db.query<OutboxRow>(
        `SELECT message_id AS "messageId", seq::text AS seq FROM runtime_job_outbox
          WHERE run_at <= now() ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batch],
      );
      if (rows.length > 0) {
        const published = await this.options.publish(rows);
        if (published.length > 0)
          await db.query(`DELETE FROM runtime_job_outbox WHERE message_id = ANY($1::uuid[])`, [
            published.map((r) => r.messageId),
          ]);
        // Some not acknowledged (logged by `publish`): the next try after `pollMs`.
        if (published.length < rows.length) return { full: false, nextDueInMs: null };
      }
      const { rows: next } = await db.query<{ ms: number | null }>(
        `SELECT (extract(epoch FROM min(run_at) - now()) * 1000)::float8 AS ms
           FROM runtime_job_outbox WHERE run_at > now()`,
      );
      return { full: rows.length === batch, nextDueInMs: next[0]?.ms ?? null };
    });
  }

  /** Keeps one connection LISTENing on the outbox channel (again after a database restart). */
  private listen(): void {
    if (this.listener || this.connecting || this.stopped) return;
    this.connecting = (async () => {
      const client = await this.options.pool.connect();
      const lost = () => {
        if (this.listener === client) this.dropListener();
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', () => this.wake());
      try {
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      } catch (error) {
        client.release(true);
        throw error;
      }
      if (this.stopped) client.release(true);
      else this.listener = client;
    })()
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'listening for the job outbox failed'),
      )
      .finally(() => (this.connecting = undefined));
  }

  /** Closes the LISTEN connection (never back to the pool: it would carry the LISTEN along). */
  private dropListener(): void {
    const client = this.listener;
    this.listener = undefined;
    client?.removeAllListeners('notification');
    client?.release(true);
  }
}
