import pg from 'pg';

import { ASSET_STEPS, assetsSql, packagesSql } from './seed-sql.mjs';

/**
 * The generated rows reference each other correctly by construction, so foreign-key triggers only
 * cost time. Disabling them needs a superuser (the embedded server, a local one); without, keep them.
 */
async function skipForeignKeyChecks(client) {
  try {
    await client.query('SET session_replication_role = replica');
  } catch {
    console.log('  (not a superuser: foreign keys are checked while seeding, which is slower)');
  }
}

/**
 * Bulk loading is much faster into tables without their secondary indexes: drop them (inside the
 * seeding transaction) and rebuild them afterwards from their own definitions, so the schema stays
 * exactly what the migrations made. Primary keys and unique constraints stay in place.
 */
async function dropSecondaryIndexes(client, tables) {
  const { rows } = await client.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                         WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))`,
    [tables],
  );
  for (const { name } of rows) await client.query(`DROP INDEX ${name}`);
  return rows;
}

const COUNTERS_SQL = `
  DELETE FROM package_asset_counts;
  INSERT INTO package_asset_counts (package_id, type, status, live)
  SELECT package_id, type, status, count(*) FROM package_assets WHERE deleted_at IS NULL
   GROUP BY package_id, type, status`;

async function recreateIndexes(client, indexes) {
  for (const { definition } of indexes) await client.query(definition);
}

async function timed(label, work) {
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  console.log(`  ${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(6)} s`);
  return result;
}

/**
 * Seeds `packages` packages with `assetsPerPackage` assets each (detail row + one version per
 * asset), then VACUUM ANALYZE so the planner and the visibility map look like a database in use.
 * Returns the time taken and a summary of what is in the database.
 */
export async function seedDatabase(url, { packages, assetsPerPackage }) {
  const client = new pg.Client({ connectionString: url, application_name: 'integrixs-bench-seed' });
  await client.connect();
  const started = performance.now();
  try {
    await client.query(`SET synchronous_commit = off; SET maintenance_work_mem = '256MB'`);
    await skipForeignKeyChecks(client);
    await client.query('BEGIN');
    await timed(`${packages} packages`, () => client.query(packagesSql(packages)));
    await timed('asset rows computed', () => client.query(assetsSql(assetsPerPackage)));
    const tables = ASSET_STEPS.map((s) => s.table);
    const indexes = await timed('secondary indexes dropped', () =>
      dropSecondaryIndexes(client, tables),
    );
    for (const { label, table, sql } of ASSET_STEPS) {
      const { rowCount } = await timed(label, () => client.query(sql));
      if (rowCount === 0 && table !== 'package_mappings') console.warn(`  (no rows in ${table})`);
    }
    // The counters are kept by triggers, which session_replication_role = replica switches off:
    // recompute them the way the migration backfills them.
    await timed('asset counters', () => client.query(COUNTERS_SQL));
    await timed(`${indexes.length} indexes rebuilt`, () => recreateIndexes(client, indexes));
    await client.query('DROP TABLE bench_assets, bench_packages');
    await timed('commit', () => client.query('COMMIT'));
    await timed('VACUUM ANALYZE', () => client.query('VACUUM ANALYZE'));
    const seconds = (performance.now() - started) / 1000;
    return { seconds, summary: await summarise(client) };
  } finally {
    await client.end();
  }
}

async function summarise(client) {
  const { rows } = await client.query(`
    SELECT (SELECT count(*)::int FROM integration_packages) AS packages,
           (SELECT count(*)::int FROM package_assets) AS assets,
           (SELECT count(*)::int FROM package_assets WHERE deleted_at IS NOT NULL) AS deleted_assets,
           (SELECT json_object_agg(type, n) FROM (SELECT type, count(*)::int AS n
              FROM package_assets GROUP BY type ORDER BY type) t) AS by_type,
           (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n
              FROM package_assets GROUP BY status ORDER BY status) s) AS by_status,
           (SELECT count(*)::int FROM asset_versions) AS versions,
           pg_size_pretty(pg_database_size(current_database())) AS database_size`);
  const row = rows[0];
  return {
    packages: row.packages,
    assets: row.assets,
    deletedAssets: row.deleted_assets,
    byType: row.by_type,
    byStatus: row.by_status,
    versions: row.versions,
    databaseSize: row.database_size,
  };
}
