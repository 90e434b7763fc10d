/**
 * `node tools/screenshots/capture.mjs`: the README's screenshots. Builds the API and the console,
 * migrates a throwaway database (DATABASE_URL, database "integrixs_screenshots"; unset: an
 * embedded PostgreSQL), starts the built API with the demo package seeded, signs in as the demo
 * user in Chromium (1280×800) and saves docs/screenshots/{workspace,designer,graph}.png.
 * Everything it starts is stopped again (tools/bench/cleanup.mjs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

process.env.BENCH_DATABASE ??= 'integrixs_screenshots';
const bench = path.resolve(import.meta.dirname, '../bench');
const { buildApiSnapshot, migrate, ROOT } = await import(`${bench}/api-dist.mjs`);
const { benchKeys } = await import(`${bench}/auth.mjs`);
const { installSignalHandlers, onCleanup, runCleanup } = await import(`${bench}/cleanup.mjs`);
const { launchBrowser, signedInPage } = await import(`${bench}/console/browser.mjs`);
const { buildWebSnapshot } = await import(`${bench}/console/web-dist.mjs`);
const { provisionDatabase } = await import(`${bench}/database.mjs`);
const { startServer } = await import(`${bench}/servers.mjs`);

const OUT = path.join(ROOT, 'docs/screenshots');
const DEMO = { username: 'demo', password: 'integrixs-sandbox' };
const DEMO_PACKAGE = 'UBL 2.1 Invoice (demo)';

/** The demo package and its flow, as the API seeded them. */
async function demoIds(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT p.id AS "packageId", a.id AS "flowId" FROM integration_packages p
         JOIN package_assets a ON a.package_id = p.id AND a.type = 'FLOW' AND a.deleted_at IS NULL
        WHERE p.name = $1 LIMIT 1`,
      [DEMO_PACKAGE],
    );
    if (!rows[0]) throw new Error(`no "${DEMO_PACKAGE}" with a flow: was the demo seeded?`);
    return rows[0];
  } finally {
    await client.end();
  }
}

async function capture(page, name, url, ready) {
  await page.goto(url);
  await ready(page);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500); // animations (ripples, progress bars) come to rest
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`  ${path.relative(ROOT, file)}`);
}

async function main() {
  installSignalHandlers();
  console.log('▸ Building the API and the console');
  const api = buildApiSnapshot();
  const webDir = buildWebSnapshot();
  const database = await provisionDatabase();
  await migrate(api, database.url);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'integrixs-screenshots-'));
  onCleanup('remove the data directory', async () =>
    rmSync(dataDir, { recursive: true, force: true }),
  );
  console.log('▸ Starting the API with the demo package');
  // Not NODE_ENV=production: the API refuses to seed the demo (its password is published) there.
  const server = await startServer('API', api.main, {
    ...benchKeys(),
    DATABASE_URL: database.url,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    INTEGRIXS_SEED_DEMO: 'true',
    INTEGRIXS_WEB_DIST: webDir,
    INTEGRIXS_DATA_DIR: dataDir,
  });
  const { packageId, flowId } = await demoIds(database.url);

  console.log('▸ Screenshots');
  const browser = await launchBrowser();
  const page = await signedInPage(browser, server.url, DEMO);
  await capture(page, 'workspace', `/packages/${packageId}`, (p) =>
    p.getByRole('heading', { level: 1, name: DEMO_PACKAGE }).waitFor(),
  );
  await capture(page, 'designer', `/packages/${packageId}/flows/${flowId}/design`, (p) =>
    p.locator('.ix-designer-node').first().waitFor(),
  );
  await capture(page, 'graph', `/packages/${packageId}/dependencies`, async (p) => {
    await p.locator('.ix-graph-title').first().waitFor();
    // The graph sits below the package's header: scroll its section to the top of the window.
    await p
      .getByRole('heading', { level: 2, name: 'Dependencies' })
      .evaluate((heading) => heading.scrollIntoView());
  });
  if (page.problems.length > 0) console.warn(`browser errors: ${page.problems.join('; ')}`);
}

try {
  await main();
  await runCleanup();
  process.exit(0);
} catch (error) {
  console.error(`screenshots failed: ${error instanceof Error ? error.stack : error}`);
  await runCleanup();
  process.exit(1);
}
