/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../../../api/test/support/free-port';

/** A nats-server with JetStream on 127.0.0.1, of this test's own (its store in a temp folder). */
export interface TestNatsServer {
  url: string;
  /** Stops the server (SIGKILL: as a crash; SIGTERM: a clean shutdown). */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port and store (after `stop`). */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  close(): Promise<void>;
}

/** Where nats-server is: NATS_SERVER_BIN, /usr/sbin/nats-server, or on the PATH. */
function natsServerBinary(): string {
  const candidates = [process.env['NATS_SERVER_BIN'], '/usr/sbin/nats-server'].filter(
    (c): c is string => !!c,
  );
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  const which = spawnSync('which', ['nats-server'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(
    'nats-server was not found (looked at NATS_SERVER_BIN, /usr/sbin/nats-server and the PATH): ' +
      'the NATS transport tests need it — install it with `apt-get install -y nats-server`',
  );
}

/** Resolves once something accepts connections on the port (or rejects after `timeoutMs`). */
async function listening(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    }).catch(() => false);
    if (up) return;
    if (Date.now() > until) throw new Error(`nats-server did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a nats-server (`-js`) on a free 127.0.0.1 port with a fresh store directory. */
export async function startNatsServer(): Promise<TestNatsServer> {
  const binary = natsServerBinary();
  const port = await freePort();
  const store = await mkdtemp(join(tmpdir(), 'integrixs-nats-'));
  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    const server = spawn(binary, ['-js', '-sd', store, '-a', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    server.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child = server;
    await Promise.race([
      listening(port),
      new Promise((_, reject) =>
        server.once('exit', (code) =>
          reject(new Error(`nats-server exited with ${code}: ${output.slice(-2000)}`)),
        ),
      ),
    ]);
  };
  const stop = async (signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM') => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      await stop('SIGKILL');
      await rm(store, { recursive: true, force: true });
    },
  };
}
