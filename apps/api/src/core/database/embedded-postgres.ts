import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Client } from 'pg';
import { type Logger } from 'pino';

import {
  assertPortFree,
  clearStaleLock,
  EmbeddedPostgresError,
  explainStartFailure,
  noPermission,
} from './embedded-postgres-checks';
import { initialiseCluster, postgresBinary, postgresUserIds } from './embedded-postgres-cluster';

export { EmbeddedPostgresError } from './embedded-postgres-checks';

export interface EmbeddedDatabase {
  /** Connection URL of the `integrixs` database on the embedded server. */
  readonly url: string;
  /** Stops the server (fast shutdown); safe to call more than once. */
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

/** The data directory and the password file, or an error naming the directory and the cause. */
function prepareDataDir(
  dataDir: string,
  logger: Logger,
): { databaseDir: string; password: string } {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    return { databaseDir: serverDirFor(dataDir, logger), password: passwordFor(dataDir) };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw noPermission('the data directory', dataDir, `${message} (INTEGRIXS_DATA_DIR)`);
    throw error;
  }
}

/**
 * Runs `postgres` in its own session (detached), so a Ctrl-C in the terminal reaches only
 * Integrixs, which stops it after the requests in flight. Resolves once it accepts
 * connections; rejects with the cause when it exits first.
 */
async function runServer(databaseDir: string, port: number, log: Logger): Promise<ChildProcess> {
  const child = spawn(
    await postgresBinary(),
    ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=localhost'],
    {
      ...(await postgresUserIds()),
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-20_000);
      for (const line of text.split('\n')) if (line.trim()) log.debug(line.trim());
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) =>
      reject(new EmbeddedPostgresError(`cannot run the embedded PostgreSQL: ${error.message}`)),
    );
    child.once('exit', (code, signal) =>
      reject(explainStartFailure(output, { code, signal }, { port, databaseDir })),
    );
  });
  return child;
}

/** Stops `child` once (SIGINT: fast shutdown), also when Node exits without calling stop. */
function stopperFor(child: ChildProcess, log: Logger): () => Promise<void> {
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= new Promise<void>((resolve) => {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => {
        log.info('embedded PostgreSQL stopped');
        resolve();
      });
      child.kill('SIGINT');
    });
    return stopping;
  };
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` package: the zero-setup
 * default when DATABASE_URL is not set. The data directory is created on first start and
 * reused afterwards, so data survives restarts. Listens on localhost only. A failed start is an
 * EmbeddedPostgresError naming the cause (port in use, data directory in use, permissions).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedDatabase> {
  const { dataDir, port, logger } = options;
  const database = options.database ?? 'integrixs';
  const log = logger.child({ component: 'embedded-postgres' });
  const { databaseDir, password } = prepareDataDir(dataDir, logger);
  await assertPortFree(port);

  if (existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    clearStaleLock(databaseDir, log);
  } else {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
    await initialiseCluster(databaseDir, password, log);
  }
  const child = await runServer(databaseDir, port, log);
  const stop = stopperFor(child, log);
  try {
    const client = new Client({ host: 'localhost', port, user: 'postgres', password });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log.info({ port, databaseDir }, 'embedded PostgreSQL is running');

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@localhost:${port}/${database}`,
    stop,
  };
}
