import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { onCleanup } from '../cleanup.mjs';
import { cpuMs } from '../load.mjs';
import { now, producerPool, waitUntilZero } from '../queue/harness.mjs';
import { withDatabase } from '../queue/libraries.mjs';
import {
  deployBenchFlows,
  INVOICE,
  startRuntimeApi,
  startRuntimeWorker,
  tempFolder,
} from '../runtime/setup.mjs';
import { combine, createDatabase, IN_FLIGHT, PRODUCERS, runJobs, setUp } from './queue.mjs';

/**
 * The flow runtime end to end (issue 13): durable messages per second through
 * `POST /api/runtime/inbound/{flowId}/DEV` → map (JSONata, to the invoice summary) → FILE target,
 * and the same flow with validate (UBL 2.1 Invoice) before the map, with 1 and 2 worker
 * processes (dist/apps/worker), against the
 * bare queue library in the same run: graphile-worker 0.17's enqueue → complete loop with an
 * empty job and as many worker processes (scenarios/queue.mjs's harness). req/s = messages per
 * second from the first POST until every message has SUCCEEDED; latencies = accepted (the
 * message row) → effect done (the target's ledger row). Ratio = runtime ÷ bare queue.
 */

/** Concurrent HTTP senders (each message its own request and transaction). */
const SENDERS = 32;
const WARMUP_MESSAGES = 300;
const API_POOL_SIZE = 20;
/**
 * Where the FILE target writes: tmpfs when the machine has one (BENCH_RUNTIME_FILES_DIR to
 * choose), so the figure measures the runtime rather than the disk. On this machine's ext4 the
 * inode allocator alone (new files among the thousands earlier runs deleted) cost ~15% of the
 * rate (docs/benchmarks.md); the bare queue it is compared with writes no files.
 */
const FILES_DIR =
  process.env.BENCH_RUNTIME_FILES_DIR || (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const LABELS = ['runtime', 'graphile-worker bare'];
/**
 * Issue 13's targets: inbound HTTP → map → FILE at ≥ 30% of the bare queue's rate, and
 * ≥ 220 messages/s "with validation and mapping included".
 */
const FLOWS = {
  map: { title: 'inbound HTTP → map → FILE', targets: { minThroughputRatio: 0.3 } },
  full: { title: 'inbound HTTP → validate → map → FILE', targets: { minRps: 220 } },
};

const SCENARIOS = [
  { id: 'runtime-1-worker', flow: 'map', workers: 1, messages: 1600, jobs: 2000 },
  { id: 'runtime-2-workers', flow: 'map', workers: 2, messages: 1600, jobs: 2000 },
  { id: 'runtime-validated-1-worker', flow: 'full', workers: 1, messages: 1600, jobs: 2000 },
  { id: 'runtime-validated-2-workers', flow: 'full', workers: 2, messages: 1600, jobs: 2000 },
];

/** What the API (it enqueues into the flow's lanes) and the workers share. */
const RUNTIME_ENV = {
  RUNTIME_WORKER_CONCURRENCY: String(IN_FLIGHT),
  // No per-flow lanes (graphile-worker serial queues): like the bare loop's jobs, any free slot
  // takes the next message. Lanes cost every fetch a queue lock and, with several slots
  // fetching at once, empty fetches that idle a slot until the next poll (docs/benchmarks.md).
  RUNTIME_FLOW_CONCURRENCY: '0',
  ...JSON.parse(process.env.BENCH_RUNTIME_ENV ?? '{}'),
};

/** One POST on a kept-alive connection: its status and JSON answer (node:http costs less CPU than fetch). */
function post(agent, url, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode, answer: JSON.parse(Buffer.concat(chunks)) });
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * POSTs `count` messages with SENDERS concurrent loops on kept-alive connections (the senders
 * share the machine with what they measure: the lighter they are, the less they take from it);
 * the accepted ids and failed sends.
 */
async function send(context, flowId, count) {
  const { api, body } = context;
  const url = `${api.url}/api/runtime/inbound/${flowId}/DEV`;
  const headers = {
    ...api.headers,
    'content-type': 'application/xml',
    'content-length': body.length,
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: SENDERS });
  const ids = [];
  let failures = 0;
  let left = count;
  const loop = async () => {
    while (left > 0) {
      left--;
      try {
        const { status, answer } = await post(agent, url, headers, body);
        if (status === 202) ids.push(answer.messageId);
        else failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, loop));
  agent.destroy();
  return { ids, failures };
}

/** BENCH_RUNTIME_STEPS=1: print where each run's time went (tools/bench/README.md). */
const DIAGNOSE = Boolean(process.env.BENCH_RUNTIME_STEPS);

/** CPU so far of every PostgreSQL process on this machine (its backends come and go). */
function postgresCpuMs() {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') total += cpuMs(pid) ?? 0;
  }
  return total;
}

/** Samples every 50 ms how many messages run and how many jobs wait or are locked. */
function startSampler(pool) {
  const samples = [];
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      const { rows } = await pool.query(
        `SELECT (SELECT count(*)::int FROM runtime_messages WHERE status = 'RUNNING') AS running,
                (SELECT count(*)::int FROM graphile_worker._private_jobs
                  WHERE locked_at IS NULL) AS waiting,
                (SELECT count(*)::int FROM graphile_worker._private_jobs
                  WHERE locked_at IS NOT NULL) AS locked`,
      );
      samples.push(rows[0]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      sampling = false;
      await loop;
      return samples;
    },
  };
}

/** Prints a run's average step durations, queue wait, CPU per message and the sampled queue. */
async function diagnose(pool, ids, cpuPerMessage, samples) {
  const { rows: steps } = await pool.query(
    `SELECT s.kind, count(*)::int AS n, round(avg(s.duration_ms)::numeric, 1) AS avg_ms,
            round(avg(extract(epoch FROM s.started_at - m.started_at) * 1000)::numeric, 1)
              AS from_claim
       FROM runtime_steps s JOIN runtime_messages m ON m.id = s.message_id
      WHERE s.message_id = ANY($1::uuid[]) GROUP BY s.kind`,
    [ids],
  );
  const { rows: times } = await pool.query(
    `SELECT round(avg(extract(epoch FROM started_at - received_at) * 1000)::numeric, 1) AS waited,
            round(avg(extract(epoch FROM finished_at - started_at) * 1000)::numeric, 1) AS ran
       FROM runtime_messages WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  // With pg_stat_statements loaded (BENCH_POSTGRES_FLAGS): the statements by time, then reset.
  const { rows: statements } = await pool
    .query(
      `SELECT calls, round(total_exec_time::numeric, 0) AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 24`,
    )
    .catch(() => ({ rows: [] }));
  if (statements.length > 0) {
    console.table(statements);
    await pool.query(`SELECT pg_stat_statements_reset()`);
  }
  const mean = (key) => (samples.reduce((sum, r) => sum + r[key], 0) / samples.length).toFixed(1);
  console.log(
    JSON.stringify({
      steps,
      ...times[0],
      cpuMsPerMessage: {
        workersApiPostgresSenders: cpuPerMessage.map((ms) => ms.toFixed(2)),
      },
      meanRunning: mean('running'),
      meanJobsWaiting: mean('waiting'),
      meanJobsLocked: mean('locked'),
    }),
  );
}

/**
 * One run of `count` messages: sent, all finished, then checked — each accepted message
 * SUCCEEDED with exactly one effect and its file in the target folder (anything else counts as
 * an error: lost or duplicated).
 */
async function runMessages(side, count) {
  const { context, workers, flowId } = side;
  const pids = [...workers, context.api];
  // Diagnostics also count PostgreSQL and this process (the senders); the result counts pids.
  const others = () => [
    postgresCpuMs(),
    process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000,
  ];
  const cpuBefore = pids.map((p) => p.cpuMs());
  const othersBefore = DIAGNOSE ? others() : [];
  const started = now();
  const sampler = DIAGNOSE ? startSampler(context.pool) : null;
  const { ids, failures } = await send(context, flowId, count);
  const done = await waitUntilZero(
    context.pool,
    {
      text: `SELECT count(*)::int AS n FROM runtime_messages
              WHERE flow_id = $1 AND status IN ('QUEUED', 'RUNNING', 'RETRYING')`,
      values: [flowId],
    },
    { interval: 10 },
  );
  const samples = await sampler?.stop();
  const cpuEach = pids.map((p, i) => p.cpuMs() - cpuBefore[i]);
  const othersEach = DIAGNOSE ? others().map((ms, i) => ms - othersBefore[i]) : [];
  const cpuMs = cpuEach.reduce((sum, ms) => sum + ms, 0);
  const { rows } = await context.pool.query(
    `SELECT m.id, m.status, count(e.id)::int AS effects,
            extract(epoch FROM (min(e.created_at) - m.received_at)) * 1000 AS latency
       FROM runtime_messages m LEFT JOIN runtime_effects e ON e.message_id = m.id
      WHERE m.id = ANY($1::uuid[]) GROUP BY m.id`,
    [ids],
  );
  if (DIAGNOSE)
    await diagnose(
      context.pool,
      ids,
      [...cpuEach, ...othersEach].map((ms) => ms / count),
      samples,
    );
  const wrong = rows.filter(
    (r) =>
      r.status !== 'SUCCEEDED' ||
      r.effects !== 1 ||
      !existsSync(path.join(context.folder, `${r.id}.deliver.json`)),
  );
  return {
    latencies: rows.filter((r) => r.effects === 1).map((r) => Number(r.latency)),
    jobs: count,
    seconds: (done - started) / 1000,
    cpuMs,
    errors: failures + wrong.length + (ids.length - rows.length),
  };
}

/** The scenario's worker processes, warmed up (the schema compiled, the mapping prepared). */
async function startWorkers(context, scenario) {
  const workers = await Promise.all(
    Array.from({ length: scenario.workers }, (_, i) =>
      startRuntimeWorker(context.api.env, `runtime worker ${i + 1}`),
    ),
  );
  const side = { context, workers, flowId: context.flows[scenario.flow] };
  const warm = await runMessages(side, WARMUP_MESSAGES);
  if (warm.errors > 0) throw new Error(`the warm-up messages failed: ${warm.errors} errors`);
  return side;
}

/** Runtime and bare queue side by side, measured in halves ordered runtime, queue, queue, runtime. */
async function measure(scenario, context) {
  const runtime = await startWorkers(context, scenario);
  const queue = await setUp(context.queue, { workers: scenario.workers });
  const runs = { runtime: [], queue: [] };
  const half = {
    runtime: async () => runs.runtime.push(await runMessages(runtime, scenario.messages / 2)),
    queue: async () => runs.queue.push(await runJobs(queue, {}, scenario.jobs / 2)),
  };
  for (const name of ['runtime', 'queue', 'queue', 'runtime']) await half[name]();
  await Promise.all(runtime.workers.map((w) => w.stop()));
  await queue.tearDown();
  return { api: combine(runs.runtime), baseline: combine(runs.queue) };
}

export default {
  name: 'runtime',
  title: 'Flow runtime end to end: inbound HTTP → [validate →] map → FILE',
  /** Starts its own API (with the demo package) and workers: run.mjs skips its seed and servers. */
  standalone: true,

  async prepare(query, { database }) {
    const api = await startRuntimeApi(database.url, query, RUNTIME_ENV, API_POOL_SIZE);
    const folder = tempFolder('integrixs-bench-files-', FILES_DIR);
    const { flows } = await deployBenchFlows(api, query, folder);
    const serverUrl = withDatabase(database.url, 'postgres');
    const queue = await createDatabase('graphile-worker', serverUrl);
    const pool = producerPool(database.url, 2);
    if (DIAGNOSE) await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    onCleanup('close the runtime bench pool', () => pool.end());
    return { api, flows, folder, queue, pool, body: readFileSync(INVOICE) };
  },

  scenarios: SCENARIOS.map((scenario) => ({
    id: scenario.id,
    title: `Runtime, ${FLOWS[scenario.flow].title}, ${scenario.workers} worker process(es), ${IN_FLIGHT} messages in flight each`,
    request: `${scenario.messages} UBL invoices via POST /api/runtime/inbound/{flowId}/DEV vs ${scenario.jobs} empty graphile-worker jobs`,
    labels: LABELS,
    targets: FLOWS[scenario.flow].targets,
    measure: (context) => measure(scenario, context),
  })),

  dataset: () =>
    `The demo package (seeded by the API on first start: UBL 2.1 Invoice schema set, JSONata ` +
    `mapping to the invoice summary) and two bench flows deployed in DEV through the API: the demo ` +
    `FILE source with an inbound HTTP trigger → map → FILE target in a temp folder (under ${FILES_DIR}), and the same ` +
    `with validate (UBL Invoice, root Invoice) before the map; each message the OASIS UBL-Invoice-2.1-Example.xml ` +
    `(${Math.round(readFileSync(INVOICE).length / 1024)} KB). The bare queue on its own fresh ` +
    `database on the same server.`,

  method: () =>
    `Built API (development mode so it seeds the demo package, LOG_LEVEL=warn, RUNTIME_WORKER=off, ` +
    `pool ${API_POOL_SIZE}) and N worker processes from dist/apps/worker (RUNTIME_TRIGGERS=off, ` +
    `RUNTIME_WORKER_CONCURRENCY=${IN_FLIGHT}, RUNTIME_FLOW_CONCURRENCY=0: no per-flow lanes; ` +
    `job fetch and completion as by default: local queue of concurrency + 1 jobs, each job ` +
    `completed on its own). ` +
    `${SENDERS} concurrent senders (node:http, kept-alive connections) POST the messages with an administrator's bearer token (202 = ` +
    `durably stored); req/s = messages from the first POST until none is QUEUED/RUNNING/RETRYING ` +
    `(polled every 10 ms); p50/p95/p99 = runtime_messages.received_at → the target's ` +
    `runtime_effects row (effect done); CPU ms/req = API + worker processes per message ` +
    `(PostgreSQL not included); errors = non-202 answers, messages not SUCCEEDED, not exactly one ` +
    `effect, or no file in the target folder. ${WARMUP_MESSAGES} warm-up messages per worker set. ` +
    `Baseline: graphile-worker run() with concurrency ${IN_FLIGHT} per process, as many processes, ` +
    `${PRODUCERS} producers each enqueuing one empty job per transaction (as in the queue group). ` +
    `Halves ordered runtime, queue, queue, runtime.`,
};
