import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';

import { compile as compileProxyAddresses } from '@fastify/proxy-addr';

import { LIST_LIMIT_MAX, PASSWORD_MIN_LENGTH } from '@integrixs/domain';
import { readOrCollect, readRuntimeTransport, type RuntimeTransport } from '@integrixs/runtime';

/** Typed configuration, read once from the environment at boot (see README: Configuration). */
export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** External PostgreSQL; when absent an embedded server is started under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly databaseConnectTimeoutMs: number;
  readonly databaseStatementTimeoutMs: number;
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  /** Deepest nesting of arrays and objects in a JSON request body (refused before parsing). */
  readonly bodyMaxDepth: number;
  readonly seedDemo: boolean;
  /** Built console served at `/` (relative paths resolve from the working directory). */
  readonly webDistDir: string;
  /** HS256 key for access tokens; generated and kept in `dataDir` outside production when unset. */
  readonly jwtSecret: string | undefined;
  /** AES-256-GCM key (base64, 32 bytes) for secrets at rest (MFA secrets, adapter credentials). */
  readonly encryptionKey: string | undefined;
  /**
   * Earlier (or not yet active) key-encryption keys: they still open what they sealed, never seal.
   * `npm run keys:rotate` re-wraps every data key under `encryptionKey`; then they can go.
   */
  readonly retiredEncryptionKeys: readonly string[];
  readonly jwtIssuer: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly sessionMaxAgeSeconds: number;
  readonly mfaStepUpMaxAgeSeconds: number;
  /** The readiness gate accepts a passing connection test at most this old (minutes). */
  readonly readinessConnectionTestMaxAgeMinutes: number;
  /** How long the readiness gate waits for a live connection test (`?live=true`). */
  readonly readinessConnectionTestTimeoutSeconds: number;
  /** Password of the first administrator, created on first start (generated and printed when unset). */
  readonly adminPassword: string | undefined;
  /** Password of the demo user created with the demo package. */
  readonly demoPassword: string;
  readonly corsOrigins: readonly string[];
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  /**
   * Which reverse proxies' X-Forwarded-* headers to believe (client IP for throttling, https for
   * cookies): none (false), the nearest N hops, or proxies at these addresses / CIDR ranges.
   */
  readonly trustProxy: TrustProxy;
  /** Audit log rows older than this are deleted (0: kept forever). */
  readonly auditRetentionDays: number;
  /** Refresh tokens this long past their expiry or revocation are deleted. */
  readonly sessionRetentionDays: number;
  /** Sign-in throttle entries idle (and unlocked) this long are deleted. */
  readonly loginThrottleRetentionHours: number;
  /** How often the retention cleanup runs (one instance at a time). */
  readonly retentionIntervalMinutes: number;
  /** XSD validator worker threads (default: one per core, at most 4). */
  readonly schemaWorkers: number;
  /** Memory budget for compiled schemas (LRU). */
  readonly schemaCacheBytes: number;
  /** Largest schema file accepted. */
  readonly schemaMaxBytes: number;
  /** Deepest XML element nesting in schemas and payloads (JSON: twice this). */
  readonly schemaMaxDepth: number;
  /** A payload validation (XML or JSON, in a worker) running longer is abandoned: 422. */
  readonly schemaValidationTimeoutMs: number;
  /** Mapping worker threads (sample tests; default: one per core, at most 4). */
  readonly mappingWorkers: number;
  /** A mapping transformation running longer is stopped (its worker terminated) and reported. */
  readonly mappingTimeoutMs: number;
  /** V8 heap cap of each mapping worker, MB: a transformation needing more is stopped. */
  readonly mappingMaxMemoryMb: number;
  /**
   * Searchable lists count `total` exactly up to this many matches; beyond, `total` is the
   * planner's estimate and `totalIsEstimate` is true (docs/api.md › Conventions). Default: the
   * largest page (200), so counting never reads more rows than one page may show.
   */
  readonly listCountCap: number;
  /**
   * Outbound targets adapters may connect to (connection tests, later flows): host names
   * (`*.example.com`), IPs or CIDRs. Non-empty allow: only these; deny always wins. Cloud
   * metadata addresses are denied regardless.
   */
  readonly outboundAllow: readonly string[];
  readonly outboundDeny: readonly string[];
  /** Loopback targets (127.0.0.0/8, ::1): allowed by default outside production only. */
  readonly outboundAllowLoopback: boolean;
  /** Largest message a deployed flow accepts (inbound HTTP body, manual run, edited replay). */
  readonly runtimeMaxPayloadBytes: number;
  /** Where message jobs travel (RUNTIME_TRANSPORT, RUNTIME_NATS_URL), as the workers read it. */
  readonly runtimeTransport: RuntimeTransport;
}

/** `false`, a hop count, or proxy addresses and CIDR ranges (proxy-addr's keywords allowed). */
export type TrustProxy = false | number | readonly string[];

/** Whether Fastify's proxy-addr accepts `entry` (an address, a CIDR range or a keyword). */
function isProxyEntry(entry: string): boolean {
  // ipaddr.js reads a bare number as an IPv4 address; here it is a hop count out of range.
  if (/^\d+$/.test(entry)) return false;
  try {
    compileProxyAddresses([entry]);
    return true;
  } catch {
    return false;
  }
}

/** A host name (`*.` allowed in front), an IP address or a CIDR range. */
function isTargetEntry(entry: string): boolean {
  const [ip, prefix, extra] = entry.split('/');
  const family = isIP(ip);
  if (prefix !== undefined) {
    const max = family === 6 ? 128 : 32;
    return family !== 0 && extra === undefined && /^\d+$/.test(prefix) && Number(prefix) <= max;
  }
  return (
    family !== 0 ||
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)
  );
}

/** Audience of access tokens: only this API accepts them. */
export const JWT_AUDIENCE = 'integrixs-api';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** One reader per variable kind; each records a problem naming the variable instead of throwing. */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  }

  secret(name: string, minLength: number): string | undefined {
    const raw = this.optional(name);
    if (raw !== undefined && raw.length < minLength) {
      this.problems.push(`${name} must be at least ${minLength} characters`);
    }
    return raw;
  }

  base64Key(name: string, bytes: number): string | undefined {
    const raw = this.optional(name);
    if (raw !== undefined && Buffer.from(raw, 'base64').length !== bytes) {
      this.problems.push(
        `${name} must be ${bytes} bytes, base64-encoded (openssl rand -base64 ${bytes})`,
      );
    }
    return raw;
  }

  base64Keys(name: string, bytes: number): string[] {
    const keys = this.list(name);
    const bad = keys.flatMap((key, i) =>
      Buffer.from(key, 'base64').length === bytes ? [] : [`#${i + 1}`],
    );
    if (bad.length > 0)
      this.problems.push(
        `${name} must be a comma-separated list of ${bytes}-byte keys, base64-encoded (openssl rand -base64 ${bytes}); ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not`,
      );
    return keys;
  }

  list(name: string): string[] {
    return (this.optional(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** Outbound targets: host names (optionally `*.` wildcards), IP addresses or CIDR ranges. */
  targets(name: string): string[] {
    const entries = this.list(name).map((entry) => entry.toLowerCase());
    const bad = entries.filter((entry) => !isTargetEntry(entry));
    if (bad.length > 0)
      this.problems.push(
        `${name} must be a comma-separated list of host names (*.example.com), IP addresses or CIDR ranges (10.0.0.0/8), got ${bad.map((e) => `"${e}"`).join(', ')}`,
      );
    return entries;
  }

  trustProxy(name: string): TrustProxy {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined || ['false', '0', 'no'].includes(raw)) return false;
    if (/^\d+$/.test(raw) && Number(raw) <= 10) return Number(raw);
    const entries = this.list(name).map((entry) => entry.toLowerCase());
    const bad = entries.filter((entry) => !isProxyEntry(entry));
    if (['true', 'yes'].includes(raw) || bad.length > 0) {
      this.problems.push(
        `${name} must be the number of reverse proxies in front of Integrixs (1 to 10) or their addresses / CIDR ranges (e.g. 10.0.0.0/8,127.0.0.1 or loopback)` +
          (bad.length > 0 && !['true', 'yes'].includes(raw)
            ? `, got ${bad.map((e) => `"${e}"`).join(', ')}`
            : '; "true" would let any client choose its IP with X-Forwarded-For'),
      );
      return false;
    }
    return entries;
  }

  file(name: string): string | undefined {
    const raw = this.optional(name);
    if (raw !== undefined && !existsSync(raw))
      this.problems.push(`${name} points to ${raw}, which does not exist`);
    return raw;
  }

  /** RUNTIME_TRANSPORT and RUNTIME_NATS_URL, read by libs/runtime as the worker reads them. */
  transport(): RuntimeTransport {
    return readOrCollect<RuntimeTransport>(
      () => readRuntimeTransport(this.env),
      () => ({ kind: 'postgres' }),
      this.problems,
    );
  }

  postgresUrl(name: string): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
        this.problems.push(`${name} must be a postgres:// or postgresql:// URL`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return raw;
  }
}

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const dataDir = path.resolve(read.string('INTEGRIXS_DATA_DIR', '.integrixs'));
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const config: AppConfig = {
    nodeEnv,
    host: read.string('HOST', 'localhost'),
    port: read.integer('PORT', 3000, 0, 65535),
    databaseUrl: read.postgresUrl('DATABASE_URL'),
    databasePoolSize: read.integer('DATABASE_POOL_SIZE', 10, 1, 500),
    databaseConnectTimeoutMs: read.integer('DATABASE_CONNECT_TIMEOUT_MS', 2000, 100, 120000),
    databaseStatementTimeoutMs: read.integer('DATABASE_STATEMENT_TIMEOUT_MS', 30000, 0, 3600000),
    dataDir,
    embeddedPostgresPort: read.integer('INTEGRIXS_EMBEDDED_PG_PORT', 54329, 1, 65535),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimitBytes: read.integer('MAX_BODY_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    bodyMaxDepth: read.integer('MAX_BODY_DEPTH', 1024, 16, 100_000),
    seedDemo: read.boolean('INTEGRIXS_SEED_DEMO', nodeEnv !== 'production'),
    webDistDir: path.resolve(read.string('INTEGRIXS_WEB_DIST', 'dist/apps/web/browser')),
    jwtSecret: read.secret('INTEGRIXS_JWT_SECRET', 32),
    encryptionKey: read.base64Key('INTEGRIXS_ENCRYPTION_KEY', 32),
    retiredEncryptionKeys: read.base64Keys('INTEGRIXS_ENCRYPTION_KEYS_RETIRED', 32),
    jwtIssuer: read.string('INTEGRIXS_JWT_ISSUER', 'integrixs'),
    accessTokenTtlSeconds: read.integer('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86400),
    refreshTokenTtlSeconds: read.integer('REFRESH_TOKEN_TTL_SECONDS', 7 * 86400, 300, 90 * 86400),
    sessionMaxAgeSeconds: read.integer('SESSION_MAX_AGE_SECONDS', 30 * 86400, 3600, 365 * 86400),
    mfaStepUpMaxAgeSeconds: read.integer('MFA_STEP_UP_MAX_AGE_SECONDS', 900, 30, 86400),
    readinessConnectionTestMaxAgeMinutes: read.integer(
      'READINESS_CONNECTION_TEST_MAX_AGE_MINUTES',
      24 * 60,
      1,
      366 * 24 * 60,
    ),
    readinessConnectionTestTimeoutSeconds: read.integer(
      'READINESS_CONNECTION_TEST_TIMEOUT_SECONDS',
      30,
      1,
      600,
    ),
    adminPassword: read.secret('INTEGRIXS_ADMIN_PASSWORD', PASSWORD_MIN_LENGTH),
    demoPassword:
      read.secret('INTEGRIXS_DEMO_PASSWORD', PASSWORD_MIN_LENGTH) ?? 'integrixs-sandbox',
    corsOrigins: read.list('CORS_ORIGINS'),
    tlsCertFile: read.file('TLS_CERT_FILE'),
    tlsKeyFile: read.file('TLS_KEY_FILE'),
    trustProxy: read.trustProxy('TRUST_PROXY'),
    auditRetentionDays: read.integer('AUDIT_RETENTION_DAYS', 365, 0, 36_500),
    sessionRetentionDays: read.integer('SESSION_RETENTION_DAYS', 30, 1, 3650),
    loginThrottleRetentionHours: read.integer('LOGIN_THROTTLE_RETENTION_HOURS', 24, 1, 8760),
    retentionIntervalMinutes: read.integer('RETENTION_INTERVAL_MINUTES', 60, 1, 10_080),
    schemaWorkers: read.integer(
      'SCHEMA_WORKERS',
      Math.max(1, Math.min(4, availableParallelism())),
      1,
      64,
    ),
    schemaCacheBytes: read.integer('SCHEMA_CACHE_BYTES', 512 * 1024 * 1024, 1024 * 1024, 2 ** 40),
    schemaMaxBytes: read.integer('SCHEMA_MAX_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    schemaMaxDepth: read.integer('SCHEMA_MAX_DEPTH', 256, 8, 10_000),
    schemaValidationTimeoutMs: read.integer('SCHEMA_VALIDATION_TIMEOUT_MS', 10_000, 50, 600_000),
    mappingWorkers: read.integer(
      'MAPPING_WORKERS',
      Math.max(1, Math.min(4, availableParallelism())),
      1,
      64,
    ),
    mappingTimeoutMs: read.integer('MAPPING_TIMEOUT_MS', 5_000, 50, 600_000),
    mappingMaxMemoryMb: read.integer('MAPPING_MAX_MEMORY_MB', 256, 32, 16_384),
    listCountCap: read.integer('LIST_COUNT_CAP', LIST_LIMIT_MAX, 1, 1_000_000),
    outboundAllow: read.targets('INTEGRIXS_OUTBOUND_ALLOW'),
    outboundDeny: read.targets('INTEGRIXS_OUTBOUND_DENY'),
    outboundAllowLoopback: read.boolean(
      'INTEGRIXS_OUTBOUND_ALLOW_LOOPBACK',
      nodeEnv !== 'production',
    ),
    runtimeMaxPayloadBytes: read.integer(
      'RUNTIME_MAX_PAYLOAD_BYTES',
      10 * 1024 * 1024,
      1024,
      1024 * 1024 * 1024,
    ),
    runtimeTransport: read.transport(),
  };
  if ((config.tlsCertFile === undefined) !== (config.tlsKeyFile === undefined)) {
    read.problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  if (config.nodeEnv === 'production' && config.seedDemo) {
    read.problems.push(
      'INTEGRIXS_SEED_DEMO cannot be true when NODE_ENV=production: the demo user can create packages and its password is published',
    );
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/** Dependency-injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
