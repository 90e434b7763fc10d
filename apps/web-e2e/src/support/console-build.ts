import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');
const BROWSER_DIST = path.join(WORKSPACE_ROOT, 'dist/apps/web/browser');
const LOCK_FILE = path.join(
  tmpdir(),
  `integrixs-web-build-${createHash('sha1').update(WORKSPACE_ROOT).digest('hex').slice(0, 12)}.lock`,
);
const STALE_LOCK_MS = 10 * 60 * 1000;

export interface ConsoleBuild {
  /** Absolute path of this test file's copy of the built console (give it to the API). */
  readonly dir: string;
  remove(): void;
}

/**
 * Builds the console with `nx run web:build` and hands back a private copy of the output.
 * Always running the Nx build is right and cheap: a cache hit takes ~5 s and also notices changes
 * in the libraries the console imports, which a timestamp check on apps/web/src would miss.
 * A file lock keeps parallel test files from building into dist/ at the same time, and the copy
 * keeps a later rebuild from pulling files from under a running test.
 */
export async function buildConsole(): Promise<ConsoleBuild> {
  await withLock(() => runNx(['run', 'web:build', '--output-style=static']));
  const dir = mkdtempSync(path.join(tmpdir(), 'integrixs-console-'));
  await withLock(() => cpSync(BROWSER_DIST, dir, { recursive: true }));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function runNx(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Jest sets NODE_ENV=test; the console is built exactly as for production.
    const env: NodeJS.ProcessEnv = { ...process.env, NX_TUI: 'false' };
    delete env['NODE_ENV'];
    const child = spawn('npx', ['nx', ...args], { cwd: WORKSPACE_ROOT, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`npx nx ${args.join(' ')} failed (exit ${code}):\n${output}`)),
    );
  });
}

async function withLock<T>(work: () => T | Promise<T>): Promise<T> {
  for (;;) {
    try {
      closeSync(openSync(LOCK_FILE, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(LOCK_FILE)) rmSync(LOCK_FILE, { force: true });
      else await delay(250); // another test file is building; poll the lock
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK_FILE, { force: true });
  }
}

function isStale(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false; // released meanwhile
  }
}
