/**
 * The flow runtime's settings, read from the environment by the worker process and by the API
 * (which enqueues with the same per-flow lane count and starts an in-process worker). Every
 * value has a default; a bad one is a problem naming the variable.
 */
export interface RuntimeSettings {
  /** A step running longer fails (RUNTIME_STEP_TIMEOUT_SECONDS, default 30). */
  stepTimeoutMs: number;
  /** Attempts before a message is dead-lettered (RUNTIME_MAX_ATTEMPTS, default 5). */
  maxAttempts: number;
  /** Backoff base: attempt n waits random(0, min(cap, base·2^(n-1))) (RUNTIME_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** Backoff cap (RUNTIME_RETRY_CAP_MS, default 5 minutes). */
  retryCapMs: number;
  /**
   * Messages of one flow running at once, across all workers (RUNTIME_FLOW_CONCURRENCY, 4);
   * 0 = no per-flow limit (no lanes: the fastest fetch, see job-queue.ts).
   */
  flowConcurrency: number;
  /** Messages one worker process runs at once (RUNTIME_WORKER_CONCURRENCY, default 8). */
  workerConcurrency: number;
  /** How often a worker writes its heartbeat (RUNTIME_HEARTBEAT_MS, default 5 s). */
  heartbeatMs: number;
  /** A worker silent this long is dead: its jobs are unlocked (RUNTIME_WORKER_STALE_MS, 30 s). */
  staleAfterMs: number;
  /** How often the sweeper looks for dead workers and resumed flows (RUNTIME_SWEEP_MS, 5 s). */
  sweepMs: number;
  /** How often an idle worker polls for due jobs besides LISTEN/NOTIFY (RUNTIME_POLL_MS, 1 s). */
  pollMs: number;
  /**
   * Jobs one fetch locks into the worker's local queue (RUNTIME_JOB_BATCH_SIZE; default the
   * worker concurrency + 1, never fewer than the concurrency; 0 = one job per fetch). Fewer fetch
   * statements, but jobs wait locked on this worker while it is busy (job-runner.ts).
   */
  jobBatchSize: number;
  /**
   * How long a finished job waits for others to be completed with it in one statement
   * (RUNTIME_COMPLETE_BATCH_MS; default 0: each job completed on its own). Longer, a worker killed
   * in that window leaves its finished jobs locked until it is found dead (they then run again
   * and find their message done).
   */
  completeBatchMs: number;
  /** Largest snapshot of a step's output kept with the step, bytes (4 KB; 0: none). */
  snapshotBytes: number;
}

export const DEFAULT_RUNTIME_SETTINGS: RuntimeSettings = {
  stepTimeoutMs: 30_000,
  maxAttempts: 5,
  retryBaseMs: 1_000,
  retryCapMs: 5 * 60_000,
  flowConcurrency: 4,
  workerConcurrency: 8,
  heartbeatMs: 5_000,
  staleAfterMs: 30_000,
  sweepMs: 5_000,
  pollMs: 1_000,
  jobBatchSize: 9,
  completeBatchMs: 0,
  snapshotBytes: 4096,
};

export class RuntimeSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid runtime configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RuntimeSettingsError';
  }
}

/**
 * `read()`, or — when it refuses the configuration — `fallback` with the refusal's problems
 * added to `problems` (a host that reports every bad variable at once); other errors propagate.
 */
export function readOrCollect<T>(read: () => T, fallback: () => T, problems: string[]): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof RuntimeSettingsError)) throw error;
    problems.push(...error.problems);
    return fallback();
  }
}

const VARIABLES: [keyof RuntimeSettings, string, number, number, number][] = [
  // [setting, variable, multiplier to ms/units, min, max] (min/max in the variable's unit)
  ['stepTimeoutMs', 'RUNTIME_STEP_TIMEOUT_SECONDS', 1000, 1, 3600],
  ['maxAttempts', 'RUNTIME_MAX_ATTEMPTS', 1, 1, 100],
  ['retryBaseMs', 'RUNTIME_RETRY_BASE_MS', 1, 1, 3_600_000],
  ['retryCapMs', 'RUNTIME_RETRY_CAP_MS', 1, 1, 86_400_000],
  ['flowConcurrency', 'RUNTIME_FLOW_CONCURRENCY', 1, 0, 256],
  ['workerConcurrency', 'RUNTIME_WORKER_CONCURRENCY', 1, 1, 256],
  ['heartbeatMs', 'RUNTIME_HEARTBEAT_MS', 1, 100, 600_000],
  ['staleAfterMs', 'RUNTIME_WORKER_STALE_MS', 1, 500, 3_600_000],
  ['sweepMs', 'RUNTIME_SWEEP_MS', 1, 100, 600_000],
  ['pollMs', 'RUNTIME_POLL_MS', 1, 50, 60_000],
  ['jobBatchSize', 'RUNTIME_JOB_BATCH_SIZE', 1, 0, 1000],
  ['completeBatchMs', 'RUNTIME_COMPLETE_BATCH_MS', 1, 0, 1000],
  // runtime_steps.snapshot holds at most 16 KB.
  ['snapshotBytes', 'RUNTIME_SNAPSHOT_BYTES', 1, 0, 16384],
];

/** Reads RUNTIME_* variables; throws RuntimeSettingsError naming every bad one. */
export function readRuntimeSettings(
  env: Record<string, string | undefined> = process.env,
): RuntimeSettings {
  const settings: RuntimeSettings = { ...DEFAULT_RUNTIME_SETTINGS };
  const problems: string[] = [];
  for (const [key, name, unit, min, max] of VARIABLES) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      continue;
    }
    settings[key] = value * unit;
  }
  // The local queue follows the concurrency unless set: each free slot finds a job waiting.
  if (!env['RUNTIME_JOB_BATCH_SIZE']?.trim())
    settings.jobBatchSize = settings.workerConcurrency + 1;
  if (settings.staleAfterMs <= settings.heartbeatMs)
    problems.push('RUNTIME_WORKER_STALE_MS must be longer than RUNTIME_HEARTBEAT_MS');
  if (problems.length > 0) throw new RuntimeSettingsError(problems);
  return settings;
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failed: exponential backoff with full
 * jitter, random(0, min(cap, base · 2^(attempt-1))), never below 1 ms.
 */
export function retryDelayMs(
  attempt: number,
  settings: Pick<RuntimeSettings, 'retryBaseMs' | 'retryCapMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    settings.retryCapMs,
    settings.retryBaseMs * 2 ** Math.max(0, attempt - 1),
  );
  return Math.max(1, Math.floor(random() * ceiling));
}
