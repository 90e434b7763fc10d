import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { onCleanup } from './cleanup.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const API_DIST = path.join(ROOT, 'dist/apps/api');
const MAIN = 'apps/api/src/main.js';
const MIGRATOR = 'apps/api/src/core/database/migrator.js';

/** `npx nx run <project>:build` (cached by Nx when the sources have not changed). */
export function nxBuild(project) {
  const env = { ...process.env, NX_TUI: 'false' };
  delete env.NODE_ENV; // built exactly as for production
  const result = spawnSync('npx', ['nx', 'run', `${project}:build`, '--output-style=static'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`npx nx run ${project}:build failed (exit code ${result.status})`);
  }
}

const buildApi = () => nxBuild('api');

/**
 * Builds the API and copies the build to dist/bench/api-<pid>, so the run measures one fixed build
 * even when a build started elsewhere replaces dist/apps/api meanwhile. (Inside the workspace, so
 * the copy resolves node_modules exactly as the original does.) Returns the copy's paths.
 */
export function buildApiSnapshot() {
  const target = path.join(ROOT, 'dist/bench', `api-${process.pid}`);
  const remove = () => {
    rmSync(target, { recursive: true, force: true });
    try {
      rmdirSync(path.dirname(target)); // only when no other run is using it
    } catch {
      // not empty
    }
  };
  process.once('exit', remove);
  onCleanup('remove the API build copy', async () => remove());
  for (let attempt = 1; ; attempt++) {
    buildApi();
    try {
      remove();
      cpSync(API_DIST, target, { recursive: true });
      if (existsSync(path.join(target, MAIN)) && existsSync(path.join(target, MIGRATOR))) break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
    if (attempt === 3) throw new Error(`${API_DIST} is incomplete after building it`);
    console.log('  dist/apps/api changed while copying it (another build?); building again');
  }
  return { main: path.join(target, MAIN), migrator: path.join(target, MIGRATOR) };
}

/** Runs the API's own migrations, so the bench database has exactly the schema the API expects. */
export async function migrate(api, url) {
  const { migrateDatabase } = createRequire(import.meta.url)(api.migrator);
  return migrateDatabase(url);
}
