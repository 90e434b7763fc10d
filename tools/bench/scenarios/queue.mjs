import { onCleanup } from '../cleanup.mjs';
import { BENCH_DATABASE } from '../database.mjs';
import {
  enqueueJobs,
  LIBRARIES,
  now,
  producerPool,
  sleep,
  startWorker,
  waitUntilZero,
} from '../queue/harness.mjs';
import { onServer, withDatabase } from '../queue/libraries.mjs';

/**
 * The job queue libraries issue 13 chooses between, bare: "enqueue N empty jobs → all completed"
 * with graphile-worker 0.17 against pg-boss 10 in the same run, each on its own fresh database on
 * the bench's PostgreSQL server, with worker processes forked from the bench (tools/bench/queue/).
 * req/s = jobs per second from the first enqueue until the database says every job is completed;
 * latencies = enqueue → the handler starting (same clock: one machine). Ratio = graphile-worker ÷
 * pg-boss. For reading (no targets); the fault behaviour is `node tools/bench/queue-faults.mjs`.
 */

/** Jobs in flight per worker process: graphile-worker `concurrency`, pg-boss `batchSize`. */
export const IN_FLIGHT = 10;
/** Concurrent producers (each job its own transaction, as inbound requests would be). */
export const PRODUCERS = 8;
const WARMUP_JOBS = 20;
const LABELS = ['graphile-worker', 'pg-boss'];

const SCENARIOS = [
  {
    id: 'queue-enqueue',
    title: `Enqueue only, no workers (${PRODUCERS} producers, each job its own transaction)`,
    workers: 0,
    jobs: 1000,
  },
  {
    id: 'queue-1-worker',
    title: `1 worker process, ${IN_FLIGHT} jobs in flight`,
    workers: 1,
    jobs: 160,
  },
  {
    id: 'queue-2-workers',
    title: `2 worker processes, ${IN_FLIGHT} jobs in flight each`,
    workers: 2,
    jobs: 240,
  },
  {
    id: 'queue-transaction',
    title: `1 worker process, message row + job in one transaction`,
    workers: 1,
    jobs: 160,
    withMessage: true,
  },
  {
    id: 'queue-batches',
    title: `1 worker process, batch settings (graphile-worker localQueue 100, pg-boss batchSize 100)`,
    workers: 1,
    jobs: 1000,
    pgBossBatch: 100,
    graphile: { preset: { worker: { localQueue: { size: 100 }, completeJobBatchDelay: 0 } } },
  },
];

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * One fresh database per library for the group's run, with the library's schema and the
 * message table; dropped again by the run's cleanup.
 */
export async function createDatabase(library, serverUrl) {
  const database = `${BENCH_DATABASE}_${library.replace('-', '_')}`;
  const drop = `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`;
  await onServer(serverUrl, [drop, `CREATE DATABASE ${database}`]);
  onCleanup(`drop ${database}`, () => onServer(serverUrl, drop));
  const url = withDatabase(serverUrl, database);
  await LIBRARIES[library].install(url);
  await onServer(url, `CREATE TABLE bench_messages (id int PRIMARY KEY, body text NOT NULL)`);
  const pool = producerPool(url, PRODUCERS + 1);
  const producer = await LIBRARIES[library].producer(url);
  onCleanup(`close the ${library} producer`, async () => {
    await producer.close();
    await pool.end();
  });
  // Job ids go on across scenarios (they are the message rows' keys).
  return { library, url, lib: LIBRARIES[library], pool, producer, next: 0 };
}

/** The scenario's worker processes on the library's database, ready and warmed up. */
export async function setUp(database, scenario) {
  const { library, url } = database;
  const workers = Array.from({ length: scenario.workers }, (_, i) =>
    startWorker(
      {
        library,
        url,
        concurrency: IN_FLIGHT,
        pgBoss: { work: { batchSize: scenario.pgBossBatch ?? IN_FLIGHT } },
        graphile: scenario.graphile ?? {},
      },
      `${library} worker ${i + 1}`,
    ),
  );
  let tornDown = false;
  const tearDown = async () => {
    if (tornDown) return;
    tornDown = true;
    await Promise.all(workers.map((w) => w.stop()));
  };
  onCleanup(`stop the ${library} workers`, tearDown);
  await Promise.all(workers.map((w) => w.ready));
  const side = { ...database, database, workers, tearDown };
  await runJobs(side, scenario, WARMUP_JOBS);
  return side;
}

/** Enqueues `count` jobs and waits for all of them; one run for the stats. */
export async function runJobs(side, scenario, count) {
  const from = side.database.next;
  side.database.next += count;
  const cpuBefore = side.workers.map((w) => w.cpuMs());
  const ownCpu = process.cpuUsage();
  const started = now();
  const { failures } = await enqueueJobs(side.pool, side.producer, {
    from,
    count,
    producers: PRODUCERS,
    withMessage: scenario.withMessage,
  });
  // Without workers: the enqueue rate alone; the jobs are removed again.
  const done =
    side.workers.length === 0
      ? now()
      : await waitUntilZero(side.pool, side.lib.remaining, { interval: 10 });
  if (side.workers.length === 0) await side.pool.query(side.lib.purge);
  const own = process.cpuUsage(ownCpu);
  const workerCpu = side.workers.reduce((sum, w, i) => sum + (w.cpuMs() - cpuBefore[i]), 0);
  await sleep(250); // the workers report their starts every 100 ms
  const latencies = side.workers
    .flatMap((w) => w.starts)
    .filter(([id]) => id >= from && id < from + count)
    .map(([, ms]) => ms);
  const [{ n: failed }] = (await side.pool.query(side.lib.failed)).rows;
  const problems = side.workers.reduce((sum, w) => sum + w.errors.length + w.fatal.length, 0);
  return {
    latencies,
    jobs: count,
    seconds: (done - started) / 1000,
    cpuMs: workerCpu + (own.user + own.system) / 1000,
    errors:
      failures +
      failed +
      problems +
      (side.workers.length === 0 ? 0 : Math.abs(count - latencies.length)),
  };
}

export function combine(runs) {
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  const sum = (key) => runs.reduce((total, r) => total + r[key], 0);
  return {
    requests: sum('jobs'),
    seconds: sum('seconds'),
    rps: sum('jobs') / sum('seconds'),
    cpuMsPerRequest: sum('cpuMs') / sum('jobs'),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    non2xx: 0,
    errors: sum('errors'),
    timeouts: 0,
  };
}

/** Both libraries set up side by side, then measured in halves ordered A, B, B, A. */
async function measure(scenario, context) {
  const sides = await Promise.all(context.databases.map((database) => setUp(database, scenario)));
  const runs = new Map(sides.map((side) => [side, []]));
  for (const side of [...sides, ...[...sides].reverse()]) {
    runs.get(side).push(await runJobs(side, scenario, scenario.jobs / 2));
  }
  for (const side of sides) await side.tearDown();
  const [api, baseline] = sides.map((side) => combine(runs.get(side)));
  return { api, baseline };
}

export default {
  name: 'queue',
  title: 'Job queue: graphile-worker vs pg-boss',
  /** Needs only a PostgreSQL server: run.mjs skips the API build, the seed and the servers. */
  standalone: true,

  async prepare(query, { database }) {
    const serverUrl = withDatabase(database.url, 'postgres');
    return { databases: await Promise.all(LABELS.map((l) => createDatabase(l, serverUrl))) };
  },

  scenarios: SCENARIOS.map((scenario) => ({
    id: scenario.id,
    title: scenario.title,
    request: `${scenario.jobs} empty jobs per library, ${scenario.workers} worker process(es)`,
    labels: LABELS,
    targets: {},
    measure: (context) => measure(scenario, context),
  })),

  dataset: () =>
    `Each library on its own fresh database on that server (created and dropped by the run), ` +
    `its schema installed by the library (graphile-worker runMigrations; pg-boss start + ` +
    `createQueue); empty jobs whose payload is { id, enqueue time }; new worker processes per ` +
    `scenario.`,

  method: () =>
    `Jobs: ${PRODUCERS} concurrent producers in the bench process enqueue the scenario's jobs, ` +
    `each in its own transaction on the producers' pg pool (graphile-worker: SELECT ` +
    `graphile_worker.add_job(…, max_attempts := 25); pg-boss: boss.send with ` +
    `the transaction's client as its db); the transaction row also inserts a 200-byte ` +
    `bench_messages row first. Worker processes (node, forked) run an empty handler: ` +
    `graphile-worker run() with concurrency ${IN_FLIGHT}, LISTEN/NOTIFY, defaults otherwise; ` +
    `pg-boss work() with batchSize ${IN_FLIGHT}, pollingIntervalSeconds 0.5 (its minimum), the ` +
    `batch's jobs run concurrently; the batch row: graphile-worker localQueue.size 100 and ` +
    `completeJobBatchDelay 0, pg-boss batchSize 100. req/s = jobs ` +
    `per second from the first enqueue until the library's table says none is left to complete ` +
    `(polled every 10 ms); p50/p95/p99 = enqueue → handler start; CPU ms/req = worker processes ` +
    `+ bench process CPU per job (PostgreSQL's own CPU not included); errors = failed enqueues, ` +
    `failed jobs, jobs not started exactly once, errors the library reported. ${WARMUP_JOBS} ` +
    `warm-up jobs per side, then the jobs in two halves ordered graphile-worker, pg-boss, ` +
    `pg-boss, graphile-worker. API/baseline = graphile-worker ÷ pg-boss.`,

  notes: () => [
    `pg-boss 10 fetches by polling (no LISTEN/NOTIFY; the minimum interval is 0.5 s and a worker ` +
      `loop waits for its whole batch), so one work() loop completes at most batchSize jobs per ` +
      `0.5 s: ${IN_FLIGHT} in flight ≈ ${IN_FLIGHT * 2} jobs/s per process whatever the jobs cost.`,
    `Fault behaviour (PostgreSQL restart under load, SIGKILLed worker): ` +
      `\`node tools/bench/queue-faults.mjs\`; results in the section "Job queue: graphile-worker ` +
      `vs pg-boss".`,
  ],
};
