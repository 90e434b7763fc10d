import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');

/** The server entry exactly as `npm start` runs it (the part after the build). */
export const MAIN = startEntry();

function startEntry(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const run = /(?:^|&&)\s*node\s+(\S+)\s*$/.exec(pkg.scripts.start);
  if (!run?.[1])
    throw new Error(`npm start does not end with "node <entry>": ${pkg.scripts.start}`);
  return path.join(ROOT, run[1]);
}

/** Builds the API like `npm start` does (Nx caches it, so this is quick when nothing changed). */
export function buildApi(): void {
  execFileSync('npx', ['nx', 'run', 'api:build', '--output-style=static'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

/** Runs the built server with `env` added to a clean environment (no DATABASE_URL unless given). */
export function runServer(env: Record<string, string>): ServerProcess {
  const inherited = { ...process.env };
  delete inherited['DATABASE_URL'];
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

/** Waits until GET url answers 200 (or the process dies). */
export async function waitForHttp(
  url: string,
  server: ServerProcess,
  timeoutMs = 60000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${url}:\n${server.output()}`);
}

/** Waits until the server has written `text` (or the process dies). */
export async function waitForOutput(
  text: string,
  server: ServerProcess,
  timeoutMs = 60000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!server.output().includes(text)) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for "${text}":\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
