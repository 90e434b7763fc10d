/**
 * `npm run bench`: the package library API against a raw Fastify + pg baseline on a seeded
 * database. Steps: build and copy the API → fresh database → migrate → seed → start both servers
 * → for each scenario: verify both, measure both → table → docs/benchmarks.md.
 * Everything it starts is stopped again on exit, error or Ctrl-C (cleanup.mjs).
 */
import path from 'node:path';

import pg from 'pg';

import { buildApiSnapshot, migrate } from './api-dist.mjs';
import { accessToken, benchKeys, seedBenchAdministrator } from './auth.mjs';
import { writeBenchmarksDoc } from './benchmarks-doc.mjs';
import { installSignalHandlers, onCleanup, runCleanup, wasInterrupted } from './cleanup.mjs';
import { provisionDatabase } from './database.mjs';
import { measureServers, verifyScenario } from './load.mjs';
import { loadAverage, machineInfo, runDate } from './machine.mjs';
import { parseOptions, USAGE, UsageError } from './options.mjs';
import { evaluate, markdownTable, missedTargets, textTable } from './report.mjs';
import { loadGroups } from './scenarios/index.mjs';
import { seedDatabase } from './seed.mjs';
import { startServer } from './servers.mjs';

const POOL_SIZE = 10;
const BASELINE = path.join(import.meta.dirname, 'baseline-server.mjs');

const step = (message) => console.log(`\n▸ ${message}`);
const count = (n) => n.toLocaleString('en-US');

async function openQuery(url) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  onCleanup('close the bench connection', () => pool.end());
  return async (sql, params) => (await pool.query(sql, params)).rows;
}

async function startServers(api, url, query) {
  const common = {
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    NODE_ENV: 'production',
  };
  const keys = benchKeys();
  const token = accessToken(keys.INTEGRIXS_JWT_SECRET, await seedBenchAdministrator(query));
  const apiServer = await startServer('API', api.main, {
    ...common,
    ...keys,
    INTEGRIXS_SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
  });
  return {
    api: { ...apiServer, headers: { authorization: `Bearer ${token}` } },
    baseline: { ...(await startServer('baseline', BASELINE, common)), headers: {} },
  };
}

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function printStats(name, s) {
  if (s.missing) return console.log(`  ${name.padEnd(8)} not measured: ${s.missing}`);
  console.log(
    `  ${name.padEnd(8)} ${Math.round(s.rps).toString().padStart(6)} req/s` +
      `  p50 ${fixed(s.p50)}  p95 ${fixed(s.p95)}  p99 ${fixed(s.p99)} ms` +
      `  CPU ${fixed(s.cpuMsPerRequest, 2)} ms/req  (${count(s.requests)} responses,` +
      ` ${s.non2xx} non-2xx, ${s.errors} errors, ${s.timeouts} timeouts)`,
  );
}

/**
 * An HTTP scenario: verify, then autocannon against the API and the baseline (only the API when
 * `baseline: false`); `connections` and `init` (method, headers, body) when the scenario sets them.
 */
async function measureHttp(scenario, context, servers, options) {
  const paths = scenario.paths(context);
  const init = scenario.init?.(context) ?? {};
  const measured = scenario.baseline === false ? { api: servers.api } : servers;
  await verifyScenario(scenario, measured, paths[0], init);
  const connections = scenario.connections ?? options.connections;
  return measureServers(measured, paths, { ...options, connections }, init);
}

/**
 * Each group's scenarios: HTTP ones (measureHttp) or in-process ones with their own
 * `measure(context, options)` returning { api, baseline } stats; `labels` name the two sides.
 * Groups may describe their data (`dataset(context)`) and add notes (`notes(context)`) for the
 * results section.
 */
async function runScenarios(groups, setup, options) {
  const results = [];
  /** API stats by scenario id, for targets relative to another scenario of the same run. */
  const measured = {};
  const datasets = [];
  const notes = [];
  for (const group of groups) {
    const context = await group.prepare(setup.query, setup);
    for (const scenario of group.scenarios) {
      if (options.scenarios.length > 0 && !options.scenarios.includes(scenario.id)) continue;
      step(`${scenario.title}: ${scenario.request}`);
      const stats = scenario.measure
        ? await scenario.measure(context, options)
        : await measureHttp(scenario, context, setup.servers, options);
      const { labels = ['API', 'baseline'], targets, title } = scenario;
      printStats(labels[0], stats.api);
      if (stats.baseline) printStats(labels[1], stats.baseline);
      const verdict = evaluate(targets, stats.api, stats.baseline, measured);
      measured[scenario.id] = stats.api;
      results.push({
        title,
        targets,
        labels,
        api: stats.api,
        baseline: stats.baseline,
        ...verdict,
      });
    }
    if (group.dataset) datasets.push(group.dataset(context));
    notes.push(...(group.notes?.(context) ?? []));
  }
  return { results, datasets, notes };
}

const TYPES = ['SCHEMA', 'ADAPTER', 'MAPPING', 'FLOW'];
const STATUSES = ['DRAFT', 'READY', 'ARCHIVED'];

function describeDataset(options, seed) {
  const s = seed.summary;
  const counted = (keys, counts) =>
    keys.map((key) => `${count(counts[key] ?? 0)} ${key}`).join(', ');
  return (
    `${count(s.packages)} packages × ${options.assetsPerPackage} assets = ${count(s.assets)} assets ` +
    `(${counted(TYPES, s.byType)}; ${counted(STATUSES, s.byStatus)}; ` +
    `${count(s.deletedAssets)} soft-deleted), each with its detail row and one version ` +
    `(${count(s.versions)} versions); database ${s.databaseSize}; seeded in ` +
    `${seed.seconds.toFixed(1)} s with set-based SQL, then VACUUM ANALYZE.`
  );
}

function describeMethod(options) {
  return (
    `autocannon, ${options.connections} connections, ${options.warmup} s warm-up, then ` +
    `${options.duration} s measured per scenario and server in two halves ordered API, baseline, ` +
    `baseline, API; latency percentiles over every response; CPU ms/req = the server process's ` +
    `CPU time per response. Built API (NODE_ENV=production, LOG_LEVEL=warn) and baseline each ` +
    `with a pool of ${POOL_SIZE} connections; load generator, servers and PostgreSQL share the machine.`
  );
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) return console.log(USAGE);
  const groups = await loadGroups(options.groups);
  installSignalHandlers();
  const date = runDate();
  const loadAtStart = loadAverage();

  // Groups that need only a PostgreSQL server (e.g. queue) skip the build, seed and servers.
  const standalone = groups.every((g) => g.standalone);
  let api, seed, servers;
  if (!standalone) {
    step('Building the API (npx nx run api:build)');
    api = buildApiSnapshot();
  }

  step('Database');
  const database = await provisionDatabase();
  console.log(`  ${database.kind}`);
  if (!standalone) {
    const applied = await migrate(api, database.url);
    console.log(`  migrated: ${applied.join(', ') || 'already up to date'}`);

    step(`Seeding ${count(options.packages)} packages × ${options.assetsPerPackage} assets`);
    seed = await seedDatabase(database.url, options);
    console.log(`  seeded ${count(seed.summary.assets)} assets in ${seed.seconds.toFixed(1)} s`);
  }

  const query = await openQuery(database.url);
  const machine = await machineInfo(query, loadAtStart);
  if (!standalone) {
    step('Starting the API and the baseline');
    servers = await startServers(api, database.url, query);
    console.log(
      `  API ${servers.api.url} (pid ${servers.api.pid}), baseline ${servers.baseline.url} (pid ${servers.baseline.pid})`,
    );
  }

  const { results, datasets, notes } = await runScenarios(
    groups,
    { api, query, servers, database },
    options,
  );

  step('Results');
  console.log(`\n${textTable(results)}\n`);
  for (const note of notes) console.log(`- ${note}`);
  const missed = missedTargets(results);
  if (machine.busyWarning) console.log(`Note: ${machine.busyWarning}.`);
  if (missed.length === 0) console.log('All targets met.');
  else console.log(`Missed targets:\n${missed.map((line) => `  ✗ ${line}`).join('\n')}`);

  if (options.docs) {
    const file = await writeBenchmarksDoc({
      date,
      groups: groups.map((g) => g.name),
      machine,
      database: database.kind,
      dataset: [...(seed ? [describeDataset(options, seed)] : []), ...datasets].join(' '),
      method: groups.map((g) => g.method?.(options) ?? describeMethod(options)).join(' '),
      table: markdownTable(results),
      notes,
      missed,
    });
    console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
  }
}

// After Ctrl-C / SIGTERM the signal handler cleans up and exits; main() may still fail meanwhile.
try {
  await main();
  if (!wasInterrupted()) {
    await runCleanup();
    process.exit(0);
  }
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (!wasInterrupted()) {
    console.error(
      `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    );
    await runCleanup();
    process.exit(1);
  }
}
