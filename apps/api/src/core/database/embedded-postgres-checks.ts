import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import { type Logger } from 'pino';

/** Exit codes (sysexits.h) for the causes an operator can fix. */
export const EXIT_CONFIG = 78; // a setting must change: the port
export const EXIT_NO_PERMISSION = 77;
export const EXIT_TEMPORARY = 75; // another server still holds the data directory

/** The embedded PostgreSQL could not start; the message names the cause and the fix. */
export class EmbeddedPostgresError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

export function portInUse(port: number): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `the embedded PostgreSQL cannot listen on port ${port}: another program uses it. Stop that program, or set INTEGRIXS_EMBEDDED_PG_PORT to a free port (or DATABASE_URL to use your own PostgreSQL)`,
    EXIT_CONFIG,
  );
}

export function noPermission(what: string, dir: string, detail: string): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `the embedded PostgreSQL cannot use ${what} ${dir}: ${detail}. Give the user running Integrixs (and, as root, the "postgres" user) access to it, or set INTEGRIXS_DATA_DIR to a directory it owns`,
    EXIT_NO_PERMISSION,
  );
}

function dataDirInUse(databaseDir: string, pid: number): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `the embedded PostgreSQL data directory ${databaseDir} is in use by PostgreSQL process ${pid} (see its postmaster.pid): another Integrixs runs with this INTEGRIXS_DATA_DIR, or an earlier one was killed and left its PostgreSQL running. Stop it (kill ${pid}) or set INTEGRIXS_DATA_DIR to another directory`,
    EXIT_TEMPORARY,
  );
}

/** Listens on `port` at `host` for a moment: false when something else already does. */
function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      // No IPv6 on this machine (EADDRNOTAVAIL, EAFNOSUPPORT): PostgreSQL will not use it either.
      resolve(error.code !== 'EADDRINUSE' && error.code !== 'EACCES'),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** PostgreSQL listens on localhost (IPv4 and IPv6): refuses early, and clearly, when the port is taken. */
export async function assertPortFree(port: number): Promise<void> {
  for (const host of ['127.0.0.1', '::1']) {
    if (!(await canListen(port, host))) throw portInUse(port);
  }
}

/** The command line of a running process, or undefined when it cannot be read (not Linux, gone). */
function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A postmaster.pid left by a server that is gone (a crash, a killed container) is removed, also
 * when its PID now belongs to another process, which PostgreSQL alone would take for a running
 * server. A PostgreSQL still serving this data directory is an error naming its PID.
 */
export function clearStaleLock(databaseDir: string, logger: Logger): void {
  const file = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(file)) return;
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').split('\n', 1)[0]);
  } catch (error) {
    throw noPermission('the lock file', file, (error as Error).message);
  }
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
    const command = commandLineOf(pid);
    // Without /proc (macOS), leave the decision to PostgreSQL: its refusal is explained later.
    if (command === undefined || command.includes('postgres')) throw dataDirInUse(databaseDir, pid);
  }
  logger.warn(
    { file, pid },
    'removing a stale postmaster.pid (left by a PostgreSQL that is no longer running)',
  );
  rmSync(file, { force: true });
}

/**
 * Why PostgreSQL exited during start, from what it wrote: port taken, data directory in use,
 * permissions, or else its own FATAL lines.
 */
export function explainStartFailure(
  output: string,
  exit: { code: number | null; signal: string | null },
  context: { port: number; databaseDir: string },
): EmbeddedPostgresError {
  if (/Address already in use|could not create any TCP\/IP sockets/i.test(output))
    return portInUse(context.port);
  const lock = /Is another postmaster \(PID (\d+)\)/.exec(output);
  if (lock?.[1] && /postmaster\.pid/.test(output))
    return dataDirInUse(context.databaseDir, Number(lock[1]));
  if (/lock file "[^"]*\.s\.PGSQL\.\d+\.lock" already exists/.test(output))
    return portInUse(context.port);
  const permission = /^.*(Permission denied|wrong ownership|invalid permissions).*$/im.exec(output);
  if (permission)
    return noPermission('its data directory', context.databaseDir, permission[0].trim());
  const fatal = output
    .split('\n')
    .filter((line) => /\b(FATAL|PANIC|ERROR):/.test(line))
    .slice(-3)
    .map((line) => line.trim());
  const said = fatal.length > 0 ? fatal : output.trim().split('\n').slice(-5);
  return new EmbeddedPostgresError(
    `the embedded PostgreSQL stopped during start (${exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`})${said.length > 0 ? `: ${said.join(' | ')}` : ' without saying why'}`,
  );
}
