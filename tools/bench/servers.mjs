import { spawn } from 'node:child_process';
import net from 'node:net';

import { onCleanup } from './cleanup.mjs';

const STARTUP_TIMEOUT_MS = 60000;
const STOP_TIMEOUT_MS = 10000;
const children = new Set();
const stopRequested = new WeakSet();

// Last resort when the run ends abruptly: never leave a server behind.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function stop(child) {
  stopRequested.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitForHealth(url, child, output) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `exited with ${child.exitCode ?? child.signalCode} before answering:\n${output()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no 200 from ${url} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/**
 * Starts `node <script>` with `env` on a free port (PORT, HOST=127.0.0.1) and waits until
 * GET /api/health answers 200. Returns { name, url, pid }; the cleanup stops it.
 */
export async function startServer(name, script, env = {}, nodeArgs = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  onCleanup(`stop ${name}`, () => stop(child));

  let log = '';
  const keep = (chunk) => {
    log = (log + chunk).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.once('exit', (code, signal) => {
    if (!stopRequested.has(child) && code !== 0) {
      console.error(`\n${name} exited unexpectedly (${code ?? signal}):\n${log}`);
    }
  });

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(`${url}/api/health`, child, () => log);
  } catch (error) {
    throw new Error(`${name} did not start: ${error.message}`);
  }
  return { name, url, pid: child.pid, log: () => log };
}
