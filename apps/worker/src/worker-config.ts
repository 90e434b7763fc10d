import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { type TargetPolicy } from '@integrixs/adapters';
import {
  readOrCollect,
  readRuntimeSettings,
  readRuntimeTransport,
  type EngineOptions,
  type RuntimeSettings,
  type RuntimeTransport,
} from '@integrixs/runtime';

/** What a standalone worker process runs with, read from the same variables as the API. */
export interface WorkerConfig {
  databaseUrl: string;
  encryptionKey: string | undefined;
  retiredEncryptionKeys: string[];
  settings: RuntimeSettings;
  /** RUNTIME_TRANSPORT / RUNTIME_NATS_URL: where the jobs travel (PostgreSQL or NATS). */
  transport: RuntimeTransport;
  engines: EngineOptions;
  policy: TargetPolicy;
  logLevel: string;
}

export class WorkerConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid worker configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WorkerConfigError';
  }
}

type Env = Record<string, string | undefined>;

const isKey = (key: unknown): key is string =>
  typeof key === 'string' && Buffer.from(key, 'base64').length === 32;
const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Reads the worker's configuration. DATABASE_URL is required: a standalone worker never starts
 * the embedded PostgreSQL (that belongs to `npm start`, whose API runs its own worker). The
 * encryption key is read as the API reads it: INTEGRIXS_ENCRYPTION_KEY (and
 * INTEGRIXS_ENCRYPTION_KEYS_RETIRED), else the key ring the API generated in
 * `<INTEGRIXS_DATA_DIR>/keys.json` (never generated here). RUNTIME_* tune the runtime;
 * SCHEMA_WORKERS, SCHEMA_VALIDATION_TIMEOUT_MS, MAPPING_WORKERS, MAPPING_TIMEOUT_MS,
 * MAPPING_MAX_MEMORY_MB and MAX_BODY_BYTES the engines; INTEGRIXS_OUTBOUND_ALLOW / _DENY /
 * _ALLOW_LOOPBACK where adapters may connect, as in the API.
 */
export function readWorkerConfig(env: Env = process.env): WorkerConfig {
  const problems: string[] = [];
  const databaseUrl = env['DATABASE_URL']?.trim() ?? '';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push(
      'DATABASE_URL must be the postgres:// URL of the database the API uses (a standalone worker never starts an embedded PostgreSQL)',
    );
  let encryptionKey = env['INTEGRIXS_ENCRYPTION_KEY']?.trim() || undefined;
  let retired = list(env['INTEGRIXS_ENCRYPTION_KEYS_RETIRED']);
  if (encryptionKey !== undefined && !isKey(encryptionKey))
    problems.push('INTEGRIXS_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  if (!retired.every(isKey))
    problems.push(
      'INTEGRIXS_ENCRYPTION_KEYS_RETIRED must be a comma-separated list of 32-byte base64 keys',
    );
  if (encryptionKey === undefined) {
    const file = path.join(
      path.resolve(env['INTEGRIXS_DATA_DIR']?.trim() || '.integrixs'),
      'keys.json',
    );
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as {
        encryptionKey?: unknown;
        retiredEncryptionKeys?: unknown;
      };
      if (isKey(stored.encryptionKey)) encryptionKey = stored.encryptionKey;
      else problems.push(`${file}: encryptionKey must be 32 bytes, base64-encoded`);
      if (Array.isArray(stored.retiredEncryptionKeys))
        retired = [...retired, ...(stored.retiredEncryptionKeys as unknown[]).filter(isKey)];
    } else if (env['NODE_ENV'] === 'production') {
      problems.push(
        'INTEGRIXS_ENCRYPTION_KEY must be set when NODE_ENV=production (the key the API uses)',
      );
    }
  }
  const settings = readOrCollect(
    () => readRuntimeSettings(env),
    () => readRuntimeSettings({}),
    problems,
  );
  const transport = readOrCollect<RuntimeTransport>(
    () => readRuntimeTransport(env),
    () => ({ kind: 'postgres' }),
    problems,
  );
  const int = (name: string, fallback?: number): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
      problems.push(`${name} must be a positive whole number, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const engines: EngineOptions = {
    schemaWorkers: int('SCHEMA_WORKERS'),
    schemaValidationTimeoutMs: int('SCHEMA_VALIDATION_TIMEOUT_MS'),
    mappingWorkers: int('MAPPING_WORKERS'),
    mappingTimeoutMs: int('MAPPING_TIMEOUT_MS'),
    mappingMaxMemoryMb: int('MAPPING_MAX_MEMORY_MB'),
    maxPayloadBytes: int('MAX_BODY_BYTES'),
  };
  const loopback = env['INTEGRIXS_OUTBOUND_ALLOW_LOOPBACK']?.trim().toLowerCase();
  const policy: TargetPolicy = {
    allow: list(env['INTEGRIXS_OUTBOUND_ALLOW']).map((e) => e.toLowerCase()),
    deny: list(env['INTEGRIXS_OUTBOUND_DENY']).map((e) => e.toLowerCase()),
    allowLoopback:
      loopback === undefined || loopback === ''
        ? env['NODE_ENV'] !== 'production'
        : ['true', '1', 'yes'].includes(loopback),
  };
  if (problems.length > 0) throw new WorkerConfigError(problems);
  return {
    databaseUrl,
    encryptionKey,
    retiredEncryptionKeys: [...new Set(retired)].filter((k) => k !== encryptionKey),
    settings,
    transport,
    engines,
    policy,
    logLevel: env['LOG_LEVEL']?.trim() || 'info',
  };
}
