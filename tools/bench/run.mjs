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

async function runScenarios(groups, servers, query, options) {
  const results = [];
  for (const group of groups) {
    const context = await group.prepare(query);
    for (const scenario of group.scenarios) {
      const paths = scenario.paths(context);
      step(`${scenario.title}: ${scenario.request}`);
      await verifyScenario(scenario, servers, paths[0]);
      const stats = await measureServers(servers, paths, options);
      for (const [key, server] of Object.entries(servers)) {
        const s = stats[key];
        console.log(
          `  ${server.name.padEnd(8)} ${Math.round(s.rps).toString().padStart(6)} req/s` +
            `  p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)} ms` +
            `  CPU ${s.cpuMsPerRequest.toFixed(2)} ms/req  (${count(s.requests)} responses,` +
            ` ${s.non2xx} non-2xx, ${s.errors} errors, ${s.timeouts} timeouts)`,
        );
      }
      const verdict = evaluate(scenario.targets, stats.api, stats.baseline);
      results.push({ title: scenario.title, targets: scenario.targets, ...stats, ...verdict });
    }
  }
  return results;
}

const TYPES = ['SCHEMA', 'ADAPTER', 'MAPPING', 'FLOW'];
const STATUSES = ['DRAFT', 'READY', 'DEPLOYED', 'SUSPENDED', 'ARCHIVED'];

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

  step('Building the API (npx nx run api:build)');
  const api = buildApiSnapshot();

  step('Database');
  const database = await provisionDatabase();
  console.log(`  ${database.kind}`);
  const applied = await migrate(api, database.url);
  console.log(`  migrated: ${applied.join(', ') || 'already up to date'}`);

  step(`Seeding ${count(options.packages)} packages × ${options.assetsPerPackage} assets`);
  const seed = await seedDatabase(database.url, options);
  console.log(`  seeded ${count(seed.summary.assets)} assets in ${seed.seconds.toFixed(1)} s`);

  step('Starting the API and the baseline');
  const query = await openQuery(database.url);
  const machine = await machineInfo(query, loadAtStart);
  const servers = await startServers(api, database.url, query);
  console.log(
    `  API ${servers.api.url} (pid ${servers.api.pid}), baseline ${servers.baseline.url} (pid ${servers.baseline.pid})`,
  );

  const results = await runScenarios(groups, servers, query, options);

  step('Results');
  console.log(`\n${textTable(results)}\n`);
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
      dataset: describeDataset(options, seed),
      method: describeMethod(options),
      table: markdownTable(results),
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
