import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Search indexes only live assets (every query filters them), which lets PostgreSQL skip the
 * deleted_at filter on the heap. Live asset counts per package, type and status, kept by statement-level triggers on
 * package_assets (so package lists and container summaries read a handful of rows instead of
 * counting every asset), and an IMMUTABLE prefix-tsquery function the planner can evaluate at
 * plan time (so it estimates full-text matches instead of guessing).
 */
export class AssetCountsAndPrefixSearch1764100000000 implements MigrationInterface {
  name = 'AssetCountsAndPrefixSearch1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION integrixs_prefix_tsquery(q text) RETURNS tsquery
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN (SELECT to_tsquery('simple', string_agg(quote_literal(lexeme) || ':*', ' & '))
                  FROM unnest(to_tsvector('simple', q)))`);

    await db.query('DROP INDEX package_assets_search');
    await db.query(
      'CREATE INDEX package_assets_search ON package_assets USING gin (search) WHERE deleted_at IS NULL',
    );

    await db.query(`
      CREATE TABLE package_asset_counts (
        package_id uuid NOT NULL REFERENCES integration_packages (id) ON DELETE CASCADE,
        type       text NOT NULL,
        status     text NOT NULL,
        live       integer NOT NULL,
        PRIMARY KEY (package_id, type, status)
      )`);

    // One statement per event applies all deltas at once, in key order: concurrent writers lock
    // counter rows in the same order, so they cannot deadlock on them. Packages being purged in
    // the same statement (cascade) are skipped.
    const apply = (deltas: string) => `
        INSERT INTO package_asset_counts AS c (package_id, type, status, live)
        SELECT package_id, type, status, sum(delta)
          FROM (${deltas}) d
         WHERE EXISTS (SELECT 1 FROM integration_packages p WHERE p.id = d.package_id)
         GROUP BY package_id, type, status
        HAVING sum(delta) <> 0
         ORDER BY package_id, type, status
        ON CONFLICT (package_id, type, status) DO UPDATE SET live = c.live + EXCLUDED.live`;
    const added = `SELECT package_id, type, status, 1 AS delta FROM new_rows WHERE deleted_at IS NULL`;
    const removed = `SELECT package_id, type, status, -1 AS delta FROM old_rows WHERE deleted_at IS NULL`;
    await db.query(`
      CREATE FUNCTION integrixs_count_assets() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${apply(added)};
        ELSIF TG_OP = 'DELETE' THEN ${apply(removed)};
        ELSE ${apply(`${added} UNION ALL ${removed}`)};
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER package_assets_count_insert AFTER INSERT ON package_assets
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION integrixs_count_assets()`);
    await db.query(`
      CREATE TRIGGER package_assets_count_update AFTER UPDATE ON package_assets
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION integrixs_count_assets()`);
    await db.query(`
      CREATE TRIGGER package_assets_count_delete AFTER DELETE ON package_assets
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION integrixs_count_assets()`);

    await db.query(`
      INSERT INTO package_asset_counts (package_id, type, status, live)
      SELECT package_id, type, status, count(*) FROM package_assets WHERE deleted_at IS NULL
       GROUP BY package_id, type, status`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete']) {
      await db.query(`DROP TRIGGER package_assets_count_${event} ON package_assets`);
    }
    await db.query('DROP FUNCTION integrixs_count_assets()');
    await db.query('DROP TABLE package_asset_counts');
    await db.query('DROP INDEX package_assets_search');
    await db.query('CREATE INDEX package_assets_search ON package_assets USING gin (search)');
    await db.query('DROP FUNCTION integrixs_prefix_tsquery(text)');
  }
}
