import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { MIGRATIONS } from '../src/core/database/migrations';
import { DeletionBatches1764700000000 } from '../src/core/database/migrations/1764700000000-deletion-batches';
import { migrateDatabase, revertMigrations } from '../src/core/database/migrator';
import { databaseUrl, testServerUrl } from './support/test-server';

/**
 * The schema as the catalog describes it (tables, columns, constraints, indexes, triggers,
 * functions), one line per object, sorted: two snapshots are equal when the schemas are.
 * TypeORM's own `migrations` table is left out; column positions too (a dropped and re-added
 * column moves to the end, which no query depends on).
 */
const SNAPSHOT = `
  SELECT line FROM (
    SELECT format('relation %s (%s)', c.relname, c.relkind) AS line
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f')
       AND c.relname NOT LIKE 'migrations%'
    UNION ALL
    SELECT format('column %s.%s %s%s default %s generated %s compression %s', c.relname, a.attname,
                  format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                  pg_get_expr(d.adbin, d.adrelid), a.attgenerated, a.attcompression)
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0
       AND NOT a.attisdropped AND c.relname <> 'migrations'
    UNION ALL
    SELECT format('constraint %s %s: %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
      FROM pg_constraint
     WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'migrations'
    UNION ALL
    SELECT format('index %s', indexdef) FROM pg_indexes
     WHERE schemaname = 'public' AND tablename <> 'migrations'
    UNION ALL
    SELECT format('trigger %s', pg_get_triggerdef(t.oid))
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
    UNION ALL
    SELECT format('function %s', pg_get_functiondef(p.oid))
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT format('type %s', t.typname)
      FROM pg_type t
     WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'c')
       AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
  ) s ORDER BY line`;

describe('migrations', () => {
  const name = `integrixs_migrations_${randomBytes(6).toString('hex')}`;
  const url = databaseUrl(testServerUrl(), name);

  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: testServerUrl() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  const snapshot = async (): Promise<string[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ line: string }>(SNAPSHOT)).rows.map((r) => r.line);
    } finally {
      await client.end();
    }
  };

  beforeAll(() => admin((client) => client.query(`CREATE DATABASE ${name}`)));
  afterAll(() => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));

  it('undoes every migration exactly (up → down, newest first → up on a fresh database)', async () => {
    const empty = await snapshot();
    expect(empty).toEqual([]);

    // Up, one migration at a time, remembering the schema after each.
    const after: string[][] = [empty];
    for (let n = 1; n <= MIGRATIONS.length; n++) {
      const applied = await migrateDatabase(url, MIGRATIONS.slice(0, n));
      expect(applied).toEqual([MIGRATIONS[n - 1]?.name]);
      after.push(await snapshot());
    }

    // Down, newest first: each down() leaves exactly the schema its up() started from.
    for (let n = MIGRATIONS.length; n >= 1; n--) {
      const undone = await revertMigrations(url, 1);
      const migration = MIGRATIONS[n - 1]?.name ?? '';
      expect(undone).toEqual([migration]);
      expect({ migration, schema: await snapshot() }).toEqual({
        migration,
        schema: after[n - 1],
      });
    }
    expect(await revertMigrations(url, 1)).toEqual([]);

    // And up again, all at once, to the same schema.
    expect(await migrateDatabase(url)).toHaveLength(MIGRATIONS.length);
    expect(await snapshot()).toEqual(after[MIGRATIONS.length]);
  }, 120_000);

  it('fills deletion batches and dependency packages for rows written before them', async () => {
    const sql = async (text: string, params: unknown[] = []) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<Record<string, unknown>>(text, params)).rows;
      } finally {
        await client.end();
      }
    };
    const since = MIGRATIONS.indexOf(DeletionBatches1764700000000);
    await revertMigrations(url, MIGRATIONS.length - since);
    const [pkg] = await sql(
      `INSERT INTO integration_packages (name, created_by, updated_by, deleted_at)
       VALUES ('Old', 'u1', 'u2', '2026-01-02T00:00:00Z') RETURNING id`,
    );
    const asset = async (name: string, deletedAt: string | null) =>
      (
        await sql(
          `INSERT INTO package_assets (package_id, type, name, created_by, updated_by, deleted_at)
           VALUES ($1, 'FLOW', $2, 'u1', 'u3', $3) RETURNING id`,
          [pkg?.['id'], name, deletedAt],
        )
      )[0]?.['id'];
    const withPackage = await asset('with the package', '2026-01-02T00:00:00Z');
    const before = await asset('deleted before', '2026-01-01T00:00:00Z');
    const live = await asset('live', null);
    await sql(
      `INSERT INTO package_asset_dependencies (from_asset_id, to_asset_id, kind, created_by, updated_by)
       VALUES ($1, $2, 'FLOW_SCHEMA', 'u1', 'u1')`,
      [live, before],
    );

    await migrateDatabase(url);
    const [p] = await sql(
      'SELECT deleted_by, deletion_batch FROM integration_packages WHERE id = $1',
      [pkg?.['id']],
    );
    expect(p).toEqual({ deleted_by: 'u2', deletion_batch: expect.any(String) as unknown });
    const assets = await sql(
      'SELECT name, deleted_by, deletion_batch FROM package_assets ORDER BY name',
    );
    expect(assets).toEqual([
      { name: 'deleted before', deleted_by: 'u3', deletion_batch: null },
      { name: 'live', deleted_by: null, deletion_batch: null },
      { name: 'with the package', deleted_by: 'u3', deletion_batch: p?.['deletion_batch'] },
    ]);
    expect(await sql('SELECT package_id FROM package_asset_dependencies')).toEqual([
      { package_id: pkg?.['id'] },
    ]);
    expect(withPackage).toEqual(expect.any(String));
  });
});
