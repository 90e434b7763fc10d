/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { type TestApp } from '../../../api/test/support/test-app';
import { FAST } from './runtime-kit';
import { transportEnv } from './transports';

/** A worker process (apps/worker/src/main.ts through worker-child.js) and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the worker's id once it is running; rejects when it exits first. */
  started: Promise<string>;
}

/**
 * Starts a worker process on the database at `databaseUrl` with the test app's key and fast
 * timings; `env` adds or overrides variables (RUNTIME_FLOW_CONCURRENCY, LOG_LEVEL, …).
 */
export function workerProcess(
  databaseUrl: string,
  encryptionKey: string | undefined,
  env: Record<string, string> = {},
): WorkerProcess {
  const child = spawn(process.execPath, [join(__dirname, 'worker-child.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      INTEGRIXS_ENCRYPTION_KEY: encryptionKey,
      RUNTIME_WORKER_CONCURRENCY: '4',
      RUNTIME_HEARTBEAT_MS: String(FAST.heartbeatMs),
      RUNTIME_WORKER_STALE_MS: String(FAST.staleAfterMs),
      RUNTIME_SWEEP_MS: String(FAST.sweepMs),
      RUNTIME_POLL_MS: String(FAST.pollMs),
      SCHEMA_WORKERS: '1',
      MAPPING_WORKERS: '1',
      MAPPING_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const id = /Integrixs worker (\S+) is running/.exec(output)?.[1];
      if (id) resolve(id);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  return { child, output: () => output, started };
}

/** A worker process on the test app's database, with its key and its job transport. */
export function appWorkerProcess(t: TestApp, env: Record<string, string> = {}): WorkerProcess {
  return workerProcess(t.db.url, t.config.encryptionKey, {
    ...transportEnv(t.config.runtimeTransport),
    ...env,
  });
}

/** Resolves with how `child` ended (at once when it already has). */
export const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve({ code: child.exitCode, signal: child.signalCode })
      : child.once('exit', (code, signal) => resolve({ code, signal })),
  );
