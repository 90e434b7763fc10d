import { EventEmitter } from 'node:events';

import { Logger as GraphileLogger, run, type Runner, type WorkerEvents } from 'graphile-worker';
import { type Pool } from 'pg';

import { RUN_MESSAGE_TASK } from './job-queue';
import { inTransaction } from './pg-transaction';
import { graphileTracking } from './runtime-transport';
import type { RuntimeLogger } from './runtime-worker';

export interface JobRunnerOptions {
  pool: Pool;
  concurrency: number;
  pollMs: number;
  /** Jobs one fetch locks into the local queue (at least `concurrency`); 0 or 1 = one per fetch. */
  jobBatchSize: number;
  /** Delay to complete finished jobs together (graphile's completeJobBatchDelay); 0 = off. */
  completeBatchMs: number;
  logger: RuntimeLogger;
  /** How long a recycle waits for the old runner's jobs in flight to finish. */
  drainMs: number;
  /** Runs the job of one message; `workerId` is the pool id of the runner that locked it. */
  runMessage(messageId: string, workerId: string): Promise<unknown>;
  /** Registers a new runner's id (its runtime_workers row) before it is reported recycled. */
  register(workerId: string): Promise<unknown>;
}

/** A pause that does not keep the process alive (a drained worker exits without waiting it out). */
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Back-off between attempts to retire or restart a runner: 0.5 s doubling to 5 s. */
const backoff = (attempt: number) => Math.min(5_000, 500 * 2 ** attempt);

/**
 * graphile-worker's runner for the message jobs, kept working through database failures.
 * graphile-worker 0.17 reconnects by itself, but does not await completing or failing a job:
 * when PostgreSQL goes away as a job ends, the job stays locked by this (live) runner — and its
 * lane's queue with it — for graphile's 4-hour lock timeout, and the heartbeat keeps the sweeper
 * from freeing it (docs/decisions.md, job queue). So each sweep `check`s for jobs locked by this
 * runner that none of its handlers runs; when such a job is still held `graceMs` later (or the
 * runner itself ended), the runner is recycled: it is stopped (jobs in flight finish), its id is
 * retired as a dead worker's is (runtime_workers row deleted, `force_unlock_workers`: its jobs
 * and queues run again, its RUNNING messages are claimed again) and a new runner with a new id
 * starts, retrying with back-off while PostgreSQL does not answer.
 *
 * With a local queue (`jobBatchSize`) one fetch locks several jobs that wait on this runner
 * until a slot is free: those count as held, not stranded. A job whose completion waits in
 * graphile's batch (`completeBatchMs`) is idle for that moment only; a completion that fails is
 * retried by graphile, whose give-up ends the runner (recycled as above).
 */
export class JobRunner {
  private runner: Runner | undefined;
  private poolId = '';
  /** Jobs whose handler runs now. */
  private readonly running = new Set<string>();
  /** Jobs the running runner fetched into its local queue that no handler has started yet. */
  private queued = new Set<string>();
  /** Jobs seen locked by this runner without a handler running them: since when. */
  private readonly idle = new Map<string, number>();
  private recycling: Promise<void> | undefined;
  /** A recycled runner's id whose jobs are not unlocked yet. */
  private unretired: string | undefined;
  private stopped = false;
  private readonly graphileLogger: GraphileLogger;

  constructor(private readonly options: JobRunnerOptions) {
    this.graphileLogger = new GraphileLogger((scope) => (level, message, meta) => {
      // LogLevel is a string enum (`error`, `warning`, …) graphile-worker exports as a type only.
      const name: string = level;
      if (name === 'error') options.logger.error({ scope, ...meta }, message);
      else if (name === 'warning') options.logger.warn({ scope, ...meta }, message);
    });
  }

  /** The running runner's graphile pool id: the worker id on jobs, messages and runtime_workers. */
  get id(): string {
    return this.poolId;
  }

  /** True while the runner is replaced: its old id is retired, so no heartbeat may revive it. */
  get isRecycling(): boolean {
    return this.recycling !== undefined;
  }

  async start(): Promise<void> {
    this.runner = await this.launch();
  }

  /**
   * One look for stranded jobs (run by the sweeper): recycles the runner when a job it holds has
   * had no handler for `graceMs`. Resolves once a recycle it started is done.
   */
  async check(graceMs: number): Promise<void> {
    if (this.recycling || this.stopped) return;
    const id = this.poolId;
    const { rows } = await this.options.pool.query<{ id: string }>(
      `SELECT id::text AS id FROM graphile_worker.jobs WHERE locked_by = $1`,
      [id],
    );
    if (id !== this.poolId) return;
    const now = Date.now();
    const held = new Set(
      rows.map((r) => r.id).filter((jobId) => !this.running.has(jobId) && !this.queued.has(jobId)),
    );
    for (const jobId of this.idle.keys()) if (!held.has(jobId)) this.idle.delete(jobId);
    for (const jobId of held) if (!this.idle.has(jobId)) this.idle.set(jobId, now);
    const stranded = [...this.idle.values()].filter((since) => now - since >= graceMs).length;
    if (stranded > 0)
      await this.recycle(`${stranded} job(s) locked by this worker but not running`);
  }

  /** Drains the runner: no new jobs, jobs in flight finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.recycling;
    // A recycle cut short: one more try to free what the old runner held (else the sweepers
    // of other workers cannot, its runtime_workers row being gone with this worker's).
    if (this.unretired) await this.retire(this.unretired).catch(() => undefined);
    if (!this.runner) return;
    await this.runner
      .stop()
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'stopping the job runner failed'),
      );
    // What it still holds once stopped — local-queue jobs it could not return (the database
    // away), a lost completion — runs again elsewhere now, not after graphile's lock timeout.
    await graphileTracking.releaseDead(this.options.pool, [this.poolId]).catch(() => undefined);
  }

  private async launch(): Promise<Runner> {
    const events = new EventEmitter() as WorkerEvents;
    const poolId = new Promise<string>((resolve) =>
      events.once('pool:create', ({ workerPool }) => resolve(workerPool.id)),
    );
    const queued = this.watchLocalQueue(events);
    const { concurrency, jobBatchSize, completeBatchMs } = this.options;
    const runner = await run({
      pgPool: this.options.pool,
      concurrency,
      pollInterval: this.options.pollMs,
      preset: {
        worker: {
          // graphile warns (and idles slots) when a batch is smaller than the concurrency.
          localQueue: { size: jobBatchSize > 1 ? Math.max(jobBatchSize, concurrency) : -1 },
          completeJobBatchDelay: completeBatchMs > 0 ? completeBatchMs : -1,
          failJobBatchDelay: completeBatchMs > 0 ? completeBatchMs : -1,
        },
      },
      noHandleSignals: true,
      // Never read a `crontab` file from the working directory: schedules are the runtime's own.
      crontab: '',
      logger: this.graphileLogger,
      events,
      taskList: {
        [RUN_MESSAGE_TASK]: async (payload, helpers) => {
          const { messageId } = payload as { messageId?: string };
          if (typeof messageId !== 'string') return;
          const jobId = String(helpers.job.id);
          this.running.add(jobId);
          try {
            // graphile-worker locks a job with its pool id: the id of this worker.
            await this.options.runMessage(messageId, helpers.job.locked_by ?? (await poolId));
          } finally {
            this.running.delete(jobId);
          }
        },
      },
    });
    this.poolId = await poolId;
    this.queued = queued;
    const ended = (error?: unknown) => {
      if (this.stopped || this.recycling || this.runner !== runner) return;
      this.options.logger.error({ err: error, workerId: this.poolId }, 'job runner ended');
      void this.recycle('the job runner ended');
    };
    runner.promise.then(() => ended(), ended);
    return runner;
  }

  /** The ids of the jobs waiting in a runner's local queue, kept up to date from its events. */
  private watchLocalQueue(events: WorkerEvents): Set<string> {
    const queued = new Set<string>();
    events.on('localQueue:getJobs:complete', ({ jobs }) => {
      for (const job of jobs) queued.add(String(job.id));
    });
    events.on('localQueue:returnJobs', ({ jobs }) => {
      for (const job of jobs) queued.delete(String(job.id));
    });
    // A fetched job is handed to a slot (its handler then counts it as running).
    events.on('job:start', ({ job }) => queued.delete(String(job.id)));
    return queued;
  }

  private recycle(reason: string): Promise<void> {
    this.recycling ??= this.replace(reason).finally(() => (this.recycling = undefined));
    return this.recycling;
  }

  private async replace(reason: string): Promise<void> {
    const { logger, drainMs } = this.options;
    const old = this.runner;
    const oldId = this.poolId;
    logger.warn({ workerId: oldId, reason }, 'recycling the job runner');
    // Jobs its handlers still run finish first (up to `drainMs`: a handler that outlives it may
    // see its message claimed again, whose effects the effect keys keep single); what the old
    // runner holds after that is stranded.
    await Promise.race([old?.stop().catch(() => undefined), delay(drainMs)]);
    this.runner = undefined;
    this.unretired = oldId;
    await this.untilDone('retiring the old job runner', () => this.retire(oldId));
    this.idle.clear();
    await this.untilDone('starting a new job runner', async () => {
      this.runner = await this.launch();
    });
    if (this.stopped) return;
    await this.options
      .register(this.poolId)
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'registering the new job runner failed'),
      );
    logger.warn({ workerId: this.poolId, replaced: oldId }, 'job runner recycled');
  }

  /** Retires a runner's id as the sweeper does a dead worker's: its jobs and lanes run again. */
  private async retire(oldId: string): Promise<void> {
    await inTransaction(this.options.pool, async (db) => {
      await db.query(`DELETE FROM runtime_workers WHERE id = $1`, [oldId]);
      await graphileTracking.releaseDead(db, [oldId]);
    });
    this.unretired = undefined;
  }

  /** Runs `step` until it succeeds (back-off between attempts) or the runner is stopped. */
  private async untilDone(what: string, step: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await step();
        return;
      } catch (error) {
        this.options.logger.warn({ err: error, attempt: attempt + 1 }, `${what} failed; retrying`);
        await delay(backoff(attempt));
      }
    }
  }
}
