/**
 * Worker processes and producers for the queue bench (scenarios/queue.mjs) and the fault
 * experiment (queue-faults.mjs): fork N worker.mjs children, enqueue jobs from this process with
 * a few concurrent producers (each job its own transaction, optionally with a message row), and
 * wait until the database says every job is completed.
 */
import { fork } from 'node:child_process';
import path from 'node:path';

import pg from 'pg';

import { cpuMs } from '../load.mjs';
import { LIBRARIES } from './libraries.mjs';

const WORKER = path.join(import.meta.dirname, 'worker.mjs');
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A worker process. `starts`: every job start it reported as [id, enqueue→start ms]; `errors`
 * and `fatal`: what the library reported or what crashed it; `exit`: resolves with the exit code.
 */
export function startWorker(options, name = 'worker') {
  const child = fork(WORKER, [JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const worker = {
    name,
    child,
    pid: child.pid,
    starts: [],
    errors: [],
    fatal: [],
    workerIds: [],
    unlocked: [],
    recycled: [],
    output: '',
    exitCode: undefined,
  };
  const keep = (chunk) => {
    worker.output = (worker.output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  worker.exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      worker.exitCode = code ?? signal;
      resolve(worker.exitCode);
    }),
  );
  worker.ready = new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'started') worker.starts.push(...message.jobs);
      else if (message.type === 'error') worker.errors.push(message.message.slice(0, 300));
      else if (message.type === 'unlocked') worker.unlocked.push(message.at);
      else if (message.type === 'recycled') worker.recycled.push(message.at);
      else if (message.type === 'fatal') worker.fatal.push(message.message);
      else if (message.type === 'worker-id') worker.workerIds.push(message.id);
    });
    void worker.exit.then((code) =>
      reject(new Error(`${name} exited (${code}) before it was ready: ${worker.output}`)),
    );
  });
  worker.cpuMs = () => cpuMs(child.pid) ?? NaN;
  /** Graceful stop: SIGTERM, then SIGKILL after `ms`. */
  worker.stop = async (ms = 10000) => {
    if (worker.exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    await worker.exit;
    clearTimeout(timer);
  };
  return worker;
}

/** Polls `sql` (returning one row with `n`) every `interval` ms until n = 0 or `timeoutMs`. */
export async function waitUntilZero(pool, sql, { interval = 10, timeoutMs = 120000 } = {}) {
  const deadline = now() + timeoutMs;
  for (;;) {
    try {
      const [{ n }] = (await pool.query(sql)).rows;
      if (n === 0) return now();
    } catch {
      // the database may be restarting (fault experiment): keep asking
    }
    if (now() > deadline) throw new Error(`jobs still not completed after ${timeoutMs} ms`);
    await sleep(interval);
  }
}

/**
 * Enqueues jobs `from`…`from + count - 1` with `producers` concurrent loops, each job in its own
 * transaction; `withMessage` also inserts a bench_messages row in that transaction (the runtime's
 * pattern: message row + job commit together). A failed enqueue is retried after `retryMs` (the
 * database may be down), or given up with `once`; `perSecond` paces the jobs; setting
 * `control.stop` ends the enqueueing early. Returns the ids
 * that were committed, how many attempts failed and (with `once`) the ids given up.
 */
export async function enqueueJobs(
  pool,
  producer,
  {
    from = 0,
    count,
    producers = 8,
    withMessage = false,
    retryMs = 50,
    perSecond = 0,
    once = false,
    control = { stop: false },
  },
) {
  let next = from;
  const committed = [];
  const failedIds = [];
  let failures = 0;
  const begun = now();
  const loop = async () => {
    while (next < from + count && !control.stop) {
      const id = next++;
      if (perSecond > 0) {
        const due = begun + ((id - from) * 1000) / perSecond;
        if (due > now()) await sleep(due - now());
      }
      for (;;) {
        let client;
        try {
          client = await pool.connect();
          const t = now();
          await client.query('BEGIN');
          if (withMessage) {
            await client.query(`INSERT INTO bench_messages (id, body) VALUES ($1, $2)`, [
              id,
              'x'.repeat(200),
            ]);
          }
          await producer.enqueue(client, { id, t });
          await client.query('COMMIT');
          client.release();
          committed.push(id);
          break;
        } catch (error) {
          failures++;
          client?.release(error);
          if (once) {
            failedIds.push(id);
            break;
          }
          await sleep(retryMs);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: producers }, loop));
  return { committed, failures, failedIds };
}

/** A pool for producers that does not crash the process when the server goes away. */
export function producerPool(url, max) {
  const pool = new pg.Pool({ connectionString: url, max });
  // Idle clients report a lost server on the pool, checked-out ones on themselves.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export { LIBRARIES };
