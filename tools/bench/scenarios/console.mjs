import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { benchKeys } from '../auth.mjs';
import { onCleanup } from '../cleanup.mjs';
import { firstRows, launchBrowser, scrollThrough, signedInPage } from '../console/browser.mjs';
import { describeBundle, INITIAL_JS_TARGET_KB, measureInitialBundle } from '../console/bundle.mjs';
import {
  BIG_TAB_ASSETS,
  BIG_USER,
  seedConsoleData,
  SMALL_LIBRARY,
  SMALL_USER,
} from '../console/data.mjs';
import { buildWebSnapshot } from '../console/web-dist.mjs';
import { measureAbba, timedOnly } from '../load.mjs';
import { startServer } from '../servers.mjs';

/**
 * The console (issue 14) in a production build: its initial JavaScript compressed, and two long
 * lists in Chromium — the package library with 1,000 packages and a workspace tab (Schemas) with
 * 10,000 schemas — against the same pages with small data in the same run: the library of a user
 * in 10 packages, and the Schemas tab of a seeded package (a few dozen schemas, one page).
 */
/** "Load more" clicks in the scripted scroll (50 rows each). */
const PAGES = 5;
/** A list is bounded when the first render shows at most one page (the lists ask for 50). */
const FIRST_PAGE_ROWS = 50;
/** Smooth: no main-thread task while scrolling and paging longer than this. */
const LONGEST_TASK_MS = 200;

const LISTS = {
  packages: { rows: 'ul[aria-label="Packages"] > li' },
  schemas: { rows: 'table[aria-label="The package\'s schemas"] tr.mat-mdc-row' },
};

/** The built API serving the built console on the bench database. */
async function startConsoleServer(api, database, webDir) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'integrixs-bench-console-data-'));
  onCleanup('remove the console data directory', async () =>
    rmSync(dataDir, { recursive: true, force: true }),
  );
  return startServer('console API', api.main, {
    ...benchKeys(),
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '10',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    INTEGRIXS_SEED_DEMO: 'false',
    INTEGRIXS_WEB_DIST: webDir,
    INTEGRIXS_DATA_DIR: dataDir,
  });
}

const fixed = (value) => Math.round(value * 10) / 10;
const max = (list) => list.reduce((a, b) => Math.max(a, b), 0);
const p95 = (list) => [...list].sort((a, b) => a - b)[Math.ceil(list.length * 0.95) - 1] ?? NaN;

/**
 * Time to first rows on both pages (ABBA, full page loads), then one scripted scroll through
 * each; the most rows in the DOM at a first render and at the end, the long tasks and the frame intervals.
 */
async function measureList(context, options, which, urls) {
  const { rows } = LISTS[which];
  const sides = { api: context.big, baseline: context.small };
  const rendered = {};
  const load = (key) => async () => {
    const first = await firstRows(sides[key], urls[key], rows);
    rendered[key] = Math.max(rendered[key] ?? 0, first.rendered);
    return first.ms;
  };
  const stats = await measureAbba(
    { api: (s) => timedOnly(load('api'), s), baseline: (s) => timedOnly(load('baseline'), s) },
    options,
  );
  const result = {};
  for (const key of ['api', 'baseline']) {
    const scroll = await scrollThrough(sides[key], rows, PAGES);
    const problems = sides[key].problems.splice(0);
    if (problems.length > 0) throw new Error(`browser errors on ${urls[key]}: ${problems[0]}`);
    result[key] = {
      ...stats[key],
      firstRendered: rendered[key],
      endRendered: scroll.rendered,
      pagesLoaded: scroll.loaded,
      longTasks: scroll.longTasks.length,
      longestTaskMs: max(scroll.longTasks),
      frameP95Ms: p95(scroll.intervals),
    };
  }
  context.lists.push({ which, ...result });
  return result;
}

const listTargets = {
  minThroughputRatio: 0.5,
  atMost: [
    { key: 'firstRendered', max: FIRST_PAGE_ROWS, label: 'rows rendered first', unit: '' },
    { key: 'longestTaskMs', max: LONGEST_TASK_MS, label: 'longest task scrolling', unit: ' ms' },
  ],
};

export default {
  name: 'console',
  title: 'Console',

  async prepare(query, { api, database }) {
    const webDir = buildWebSnapshot();
    const bundle = measureInitialBundle(webDir);
    const server = await startConsoleServer(api, database, webDir);
    const data = await seedConsoleData(query);
    const browser = await launchBrowser();
    const { password } = data;
    const big = await signedInPage(browser, server.url, { username: BIG_USER, password });
    const small = await signedInPage(browser, server.url, { username: SMALL_USER, password });
    return { bundle, data, big, small, lists: [] };
  },

  scenarios: [
    {
      id: 'console-initial-js',
      title: `Console initial JavaScript (gzip ≤ ${INITIAL_JS_TARGET_KB} kB)`,
      request: 'index.html and its static imports in the production build, gzip -9 and brotli',
      labels: ['console build'],
      async measure({ bundle }) {
        const none = { latencies: [], requests: 0, non2xx: 0, errors: 0, timeouts: 0 };
        return {
          api: { ...none, rps: NaN, p50: NaN, p95: NaN, p99: NaN, gzipKb: bundle.gzip / 1000 },
        };
      },
      targets: {
        atMost: [
          { key: 'gzipKb', max: INITIAL_JS_TARGET_KB, label: 'initial JS gzip', unit: ' kB' },
        ],
      },
    },
    {
      id: 'console-package-list',
      title: 'Package library, first rows',
      request: `/packages signed in as a member of 1,000 packages vs of ${SMALL_LIBRARY}, full page load to the first card`,
      labels: ['1,000 packages', `${SMALL_LIBRARY} packages`],
      measure: (context, options) =>
        measureList(context, options, 'packages', { api: '/packages', baseline: '/packages' }),
      targets: listTargets,
    },
    {
      id: 'console-schemas-tab',
      title: 'Workspace Schemas tab, first rows',
      request: `/packages/{id}/schemas of a package with ${BIG_TAB_ASSETS.toLocaleString('en-US')} schemas vs one with a few dozen, full page load to the first row`,
      labels: [`${BIG_TAB_ASSETS / 1000}k schemas`, 'few schemas'],
      measure: (context, options) =>
        measureList(context, options, 'schemas', {
          api: `/packages/${context.data.big.id}/schemas`,
          baseline: `/packages/${context.data.small.id}/schemas`,
        }),
      targets: listTargets,
    },
  ],

  dataset: ({ data }) =>
    `Console group: "${BIG_USER}" is a member of all ${data.packages.toLocaleString('en-US')} packages, ` +
    `"${SMALL_USER}" of ${SMALL_LIBRARY}; one package holds ${data.big.schemas.toLocaleString('en-US')} ` +
    `schemas, the other Schemas tab opened ${data.small.schemas}.`,

  method: ({ duration, warmup }) =>
    `Console rows: the production build (npx nx run web:build) served by the built API; Chromium ` +
    `(playwright-core, headless), 1280×800, one signed-in page per side; time from navigation to the ` +
    `first visible row of a full page load, ${warmup} s warm-up, ${duration} s per side in ABBA halves; ` +
    `then a scripted scroll to the end of the list and "Load more" ${PAGES} times with a ` +
    `PerformanceObserver for long tasks and requestAnimationFrame for frame intervals. Initial ` +
    `JavaScript: index.html's module scripts and their static imports, gzip -9 and brotli 11.`,

  notes: ({ bundle, lists }) => [
    `Initial JavaScript: ${describeBundle(bundle)}; target ≤ ${INITIAL_JS_TARGET_KB} kB compressed.`,
    ...lists.flatMap(({ which, api, baseline }) =>
      [
        ['big', api],
        ['small', baseline],
      ].map(
        ([side, s]) =>
          `${which} (${side}): ${s.firstRendered} rows rendered first, ${s.endRendered} after ` +
          `${s.pagesLoaded} × "Load more"; ${s.longTasks} long tasks while scrolling, longest ` +
          `${fixed(s.longestTaskMs)} ms; frame interval p95 ${fixed(s.frameP95Ms)} ms.`,
      ),
    ),
  ],
};
