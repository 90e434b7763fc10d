import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

import { freePort, runServer, waitForHttp, type ServerProcess } from './server-process';

const asRoot = process.getuid?.() === 0;

/** Listens on `port` on every address (IPv4 and IPv6), as another program would. */
function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '::' }, () => resolve(server));
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve(true)));
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls until `check` holds (for what another process does on its own time). */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the embedded PostgreSQL: clear start failures, graceful stop', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'integrixs-embedded-'));
  const pgDir = path.join(dataDir, 'pg');
  let port: number;
  let pgPort: number;
  let base: string;

  beforeAll(async () => {
    chmodSync(dataDir, 0o755);
    port = await freePort();
    pgPort = await freePort();
    base = `http://127.0.0.1:${port}`;
  }, 180_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const env = (dir = dataDir, httpPort = port, postgresPort = pgPort) => ({
    PORT: String(httpPort),
    HOST: '127.0.0.1',
    INTEGRIXS_DATA_DIR: dir,
    INTEGRIXS_EMBEDDED_PG_PORT: String(postgresPort),
  });

  const start = async (): Promise<ServerProcess> => {
    const server = runServer(env());
    await waitForHttp(`${base}/api/health`, server);
    return server;
  };

  const failedStart = async (variables: Record<string, string>) => {
    const server = runServer(variables);
    const code = await server.exited;
    return { code, output: server.output() };
  };

  it('names the port and INTEGRIXS_EMBEDDED_PG_PORT when the port is taken, and exits 78', async () => {
    const taken = await freePort();
    const blocker = await occupy(taken);
    const fresh = mkdtempSync(path.join(tmpdir(), 'integrixs-port-'));
    try {
      chmodSync(fresh, 0o755);
      const { code, output } = await failedStart(env(fresh, await freePort(), taken));
      expect(code).toBe(78);
      expect(output).toContain(`port ${taken}`);
      expect(output).toContain('INTEGRIXS_EMBEDDED_PG_PORT');
      expect(output).not.toContain('undefined');
    } finally {
      blocker.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);

  it('lets a request in flight finish on SIGTERM, stops PostgreSQL once and exits 0', async () => {
    const server = await start();
    const postmaster = Number(
      readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    expect(isRunning(postmaster)).toBe(true);

    // A second server on the same data directory says who holds it.
    const second = await failedStart(env(dataDir, await freePort(), await freePort()));
    expect(second.code).toBe(75);
    expect(second.output).toContain(`PostgreSQL process ${postmaster}`);
    expect(second.output).toContain('INTEGRIXS_DATA_DIR');

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'integrixs-sandbox' }),
    });
    const token = ((await login.json()) as { session: { accessToken: string } }).session
      .accessToken;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/api/packages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'In flight' }),
    });
    const { id } = (await created.json()) as { id: string };

    // Hold the package row: the update below waits for it, in flight, until we let go.
    const password = readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
    const holder = new Client({
      host: '127.0.0.1',
      port: pgPort,
      user: 'postgres',
      password,
      database: 'integrixs',
    });
    holder.on('error', () => undefined); // PostgreSQL stops right after the test lets go
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM integration_packages WHERE id = $1 FOR UPDATE', [id]);
    const update = fetch(`${base}/api/packages/${id}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ version: 1, description: 'finished during shutdown' }),
    });
    await until(async () => {
      const { rows } = await holder.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'integrixs' AND wait_event_type = 'Lock'`,
      );
      return (rows[0]?.n ?? 0) > 0;
    }, 'the update to wait for the row');

    server.child.kill('SIGTERM');
    await until(() => server.output().includes('shutting down'), 'the shutdown to begin');
    expect(server.child.exitCode).toBeNull();
    await holder.query('COMMIT');
    const response = await update;
    await holder.end().catch(() => undefined);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ description: 'finished during shutdown' });
    expect(await server.exited).toBe(0);
    expect(server.output().match(/embedded PostgreSQL stopped/g)).toHaveLength(1);
    expect(isRunning(postmaster)).toBe(false);
    expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);
    expect(await portIsFree(pgPort)).toBe(true);
  }, 120_000);

  it('starts over a stale postmaster.pid whose PID now belongs to another process', async () => {
    // As root PostgreSQL runs as "postgres": the stale PID must be one it may signal.
    const postgresUid = asRoot
      ? Number(execFileSync('id', ['-u', 'postgres']).toString())
      : undefined;
    const stranger = spawn('sleep', ['300'], postgresUid === undefined ? {} : { uid: postgresUid });
    try {
      const pidFile = path.join(pgDir, 'postmaster.pid');
      writeFileSync(
        pidFile,
        `${stranger.pid}\n${pgDir}\n1700000000\n${pgPort}\n/tmp\nlocalhost\n0 0\nready\n`,
      );
      if (postgresUid !== undefined) chownSync(pidFile, postgresUid, statSync(pgDir).gid);
      const server = await start();
      expect(server.output()).toContain('stale postmaster.pid');
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
    } finally {
      stranger.kill();
    }
  }, 120_000);

  it('says which directory it may not use when permissions are wrong, and exits 77', async () => {
    const owner = statSync(pgDir);
    // Root passes permission checks: as root, hand the directory to root (PostgreSQL runs as postgres).
    if (asRoot) chownSync(pgDir, 0, 0);
    else chmodSync(pgDir, 0o000);
    try {
      const { code, output } = await failedStart(env());
      expect(code).toBe(77);
      expect(output).toContain(pgDir);
      expect(output).toContain('INTEGRIXS_DATA_DIR');
      expect(output).not.toContain('undefined');
    } finally {
      if (asRoot) chownSync(pgDir, owner.uid, owner.gid);
      else chmodSync(pgDir, 0o700);
    }
  }, 60_000);
});
