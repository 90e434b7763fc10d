// One queue worker process for the queue bench and the fault experiment (tools/bench/queue/).
// Usage: node worker.mjs '<json options>' — { library, url, concurrency, hold?, pgBoss?, graphile? }
// Runs the library's worker on the task/queue "bench" with an empty handler (or one that waits
// `hold` ms) and reports to the parent over IPC, about every 100 ms: { type: 'started', jobs:
// [[id, enqueue→start ms, start time], …] }. Also 'ready' once it can take jobs, 'error' for every error the
// library emits or logs at error level, and 'fatal' for an uncaught exception or unhandled
// rejection. Stops on SIGTERM or a { type: 'stop' } message. graphile-worker with `liveness`:
// each process holds a session advisory lock and registers its worker ids; a janitor in every
// process force-unlocks the jobs of processes whose lock is free (dead) — see livenessJanitor.
import { clearInterval, setInterval } from 'node:timers';

import { QUEUE } from './libraries.mjs';

const options = JSON.parse(process.argv[2]);
const now = () => performance.timeOrigin + performance.now();
const send = (message) => process.connected && process.send(message);

let started = [];
const flush = () => {
  if (started.length === 0) return;
  send({ type: 'started', jobs: started });
  started = [];
};
const flusher = setInterval(flush, 100);

// Node's default ends the process on both; we record them and carry on (with `exitOnFatal`, we
// exit 1 as Node would), so the experiment can report what a default process would have done.
const fatal = (kind) => (error) => {
  send({ type: 'fatal', message: `${kind}: ${error?.stack ?? error}` });
  if (options.exitOnFatal) setTimeout(() => process.exit(1), 50);
};
process.on('uncaughtException', fatal('uncaught exception'));
process.on('unhandledRejection', fatal('unhandled rejection'));

/** The job body: note when it started; optionally hold it (to be killed while holding it). */
async function handle(id, enqueuedAt) {
  const at = now();
  started.push([id, at - enqueuedAt, at]);
  if (options.hold) await new Promise((resolve) => setTimeout(resolve, options.hold));
}

async function graphileWorker() {
  const { run, Logger } = await import('graphile-worker');
  const { EventEmitter } = await import('node:events');
  const events = new EventEmitter();
  events.on('worker:create', ({ worker }) => send({ type: 'worker-id', id: worker.workerId }));
  events.on('pool:listen:error', ({ error }) =>
    send({ type: 'error', message: `pool:listen:error ${error?.message}` }),
  );
  const logger = new Logger(() => (level, message) => {
    if (level === 'error') send({ type: 'error', message });
  });
  // Before run(): its workers announce themselves (worker:create) while it starts.
  const janitor = options.liveness ? await livenessJanitor(events) : null;
  let poolId;
  events.on('pool:create', ({ workerPool }) => (poolId = workerPool.id));
  const start = () =>
    run({
      connectionString: options.url,
      concurrency: options.concurrency,
      noHandleSignals: true,
      pollInterval: options.graphile?.pollInterval ?? 2000,
      logger,
      events,
      ...(options.graphile?.preset ? { preset: options.graphile.preset } : {}),
      taskList: {
        [QUEUE]: async (payload) => handle(payload.id, payload.t),
      },
    });
  let runner = await start();
  if (options.graphile?.recycle)
    recycleOnLostCompletion(
      () => runner,
      (r) => (runner = r),
      start,
      () => poolId,
    );
  return async () => {
    await runner.stop();
    await janitor?.stop();
  };
}

/**
 * graphile-worker 0.17 does not await completeJob/failJob: when PostgreSQL drops the connection
 * the rejection is unhandled and the job stays locked by this (live) pool for 4 hours. With
 * `graphile.recycle`: on such a rejection, stop the runner, then (once PostgreSQL answers)
 * force_unlock_workers on the old pool id and start a new runner, so the jobs it held run again.
 */
function recycleOnLostCompletion(current, replace, start, poolIdOf) {
  let recycling = false;
  process.on('unhandledRejection', (error) => {
    if (recycling || !String(error?.stack).includes('graphile-worker')) return;
    recycling = true;
    void (async () => {
      const old = current();
      const oldPool = poolIdOf();
      await Promise.race([old.stop().catch(() => undefined), sleep(5000)]);
      const { default: pg } = await import('pg');
      for (;;) {
        const client = new pg.Client({ connectionString: options.url });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query(`SELECT graphile_worker.force_unlock_workers(ARRAY[$1::text])`, [
            oldPool,
          ]);
          await client.end();
          replace(await start());
          send({ type: 'recycled', at: now() });
          break;
        } catch {
          await client.end().catch(() => undefined);
          await sleep(500);
        }
      }
      recycling = false;
    })();
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * graphile-worker leaves the jobs of a worker that died locked for 4 hours unless someone calls
 * force_unlock_workers with its ids (0.17 locks jobs with the worker pool's id). Liveness through PostgreSQL: this process holds the
 * session advisory lock (7001, key) on its own connection and lists its worker ids under `key`
 * in bench_worker_liveness; every `options.liveness` ms the janitor try-locks the other keys — a
 * lock it gets belongs to a process whose connection is gone — and unlocks that process's jobs.
 */
async function livenessJanitor(events) {
  const { default: pg } = await import('pg');
  const key = Math.floor(Math.random() * 2 ** 31);
  const client = new pg.Client({ connectionString: options.url });
  client.on('error', (error) => send({ type: 'error', message: `liveness: ${error.message}` }));
  await client.connect();
  await client.query(`SELECT pg_advisory_lock(7001, $1)`, [key]);
  const register = (id) =>
    client
      .query(`INSERT INTO bench_worker_liveness (worker_id, lock_key) VALUES ($1, $2)`, [id, key])
      .catch((error) => send({ type: 'error', message: `liveness: ${error.message}` }));
  // Jobs are locked by the pool's id (0.17); register the worker ids too.
  events.on('pool:create', ({ workerPool }) => void register(workerPool.id));
  events.on('worker:create', ({ worker }) => void register(worker.workerId));
  const janitorPool = new pg.Pool({ connectionString: options.url, max: 1 });
  janitorPool.on('error', () => undefined);
  const sweep = async () => {
    const c = await janitorPool.connect();
    try {
      const { rows } = await c.query(
        `SELECT DISTINCT lock_key FROM bench_worker_liveness WHERE lock_key <> $1`,
        [key],
      );
      for (const { lock_key: other } of rows) {
        const [{ free }] = (await c.query(`SELECT pg_try_advisory_lock(7001, $1) AS free`, [other]))
          .rows;
        if (!free) continue;
        await c.query(
          `SELECT graphile_worker.force_unlock_workers(
                    array(SELECT worker_id FROM bench_worker_liveness WHERE lock_key = $1))`,
          [other],
        );
        await c.query(`DELETE FROM bench_worker_liveness WHERE lock_key = $1`, [other]);
        await c.query(`SELECT pg_advisory_unlock(7001, $1)`, [other]);
        send({ type: 'unlocked', key: other, at: now() });
      }
      c.release();
    } catch (error) {
      c.release(error);
    }
  };
  const timer = setInterval(() => void sweep().catch(() => undefined), options.liveness);
  return {
    stop: async () => {
      clearInterval(timer);
      await janitorPool.end();
      await client.end();
    },
  };
}

async function pgBossWorker() {
  const { default: PgBoss } = await import('pg-boss');
  const boss = new PgBoss({
    connectionString: options.url,
    max: options.concurrency + 2,
    schedule: false,
    migrate: false,
    ...options.pgBoss?.constructor,
  });
  boss.on('error', (error) => send({ type: 'error', message: error?.message ?? String(error) }));
  await boss.start();
  const { batchSize, loops = 1, pollingIntervalSeconds = 0.5 } = options.pgBoss?.work ?? {};
  for (let i = 0; i < loops; i++) {
    await boss.work(
      QUEUE,
      { batchSize: batchSize ?? options.concurrency, pollingIntervalSeconds },
      async (jobs) => {
        await Promise.all(jobs.map((job) => handle(job.data.id, job.data.t)));
      },
    );
  }
  return async () => boss.stop({ graceful: true, timeout: 5000 });
}

const stop = await (options.library === 'graphile-worker' ? graphileWorker() : pgBossWorker());
send({ type: 'ready' });

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  try {
    await stop();
  } finally {
    flush();
    clearInterval(flusher);
    send({ type: 'stopped' });
    setTimeout(() => process.exit(0), 50);
  }
}
process.on('SIGTERM', shutdown);
process.on('message', (message) => message?.type === 'stop' && shutdown());
