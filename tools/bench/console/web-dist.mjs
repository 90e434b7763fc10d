import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { nxBuild, ROOT } from '../api-dist.mjs';
import { onCleanup } from '../cleanup.mjs';

const BROWSER_DIST = path.join(ROOT, 'dist/apps/web/browser');

/**
 * `npx nx run web:build` (production), then a private copy of the built console, so a build
 * started elsewhere cannot replace the files under a running measurement. Returns its directory
 * (give it to the API as INTEGRIXS_WEB_DIST); the cleanup removes it.
 */
export function buildWebSnapshot() {
  nxBuild('web');
  const dir = mkdtempSync(path.join(tmpdir(), 'integrixs-bench-console-'));
  onCleanup('remove the console build copy', async () =>
    rmSync(dir, { recursive: true, force: true }),
  );
  cpSync(BROWSER_DIST, dir, { recursive: true });
  return dir;
}
