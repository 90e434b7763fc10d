import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A term index for the capped count of asset search: one row per live asset and lexeme of its
 * `search` vector, in a btree ordered by (term, asset). "At least 201 assets match `invoice*`"
 * is then an index-only range scan over ~400 entries (~0.1 ms) instead of reading every asset
 * until 201 match (~3,000 rows in the benchmark, ~1 ms) or building the GIN bitmap of all
 * ~11,000 matches (~1–2 ms). Kept by row triggers on package_assets, in the transaction of the
 * asset write; only live assets have terms. `term` is in the C collation, so a prefix
 * (`term ^@ 'invo'`) is a btree range. And integrixs_prefix_tsquery, unchanged in what it
 * returns, becomes cheap to plan.
 */
/** integrixs_prefix_tsquery as migration 1764100000000 wrote it. */
const PREFIX_TSQUERY_AGG = `RETURN (SELECT to_tsquery('simple', string_agg(quote_literal(lexeme) || ':*', ' & '))
                  FROM unnest(to_tsvector('simple', q)))`;

export class AssetSearchTerms1764830000000 implements MigrationInterface {
  name = 'AssetSearchTerms1764830000000';

  async up(db: QueryRunner): Promise<void> {
    // integrixs_prefix_tsquery, same results, as one expression without a subquery: the planner
    // inlines it and folds it to a constant in microseconds, where calling the SQL function with
    // its aggregate cost ~80 µs of planning per use (two or three uses per search). A stripped
    // tsvector prints as quote_literal would quote each lexeme ('it''s' 'sap'), except that it
    // doubles backslashes where quote_literal writes E'…': those queries keep the original.
    await db.query(`
      CREATE FUNCTION integrixs_prefix_tsquery_agg(q text) RETURNS tsquery
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        ${PREFIX_TSQUERY_AGG}`);
    await db.query(`
      CREATE OR REPLACE FUNCTION integrixs_prefix_tsquery(q text) RETURNS tsquery
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN CASE WHEN strpos(to_tsvector('simple', q)::text, '\\') > 0
                    THEN integrixs_prefix_tsquery_agg(q)
                    ELSE to_tsquery('simple',
                                    replace(nullif(strip(to_tsvector('simple', q))::text, ''),
                                            ''' ''', ''':* & ''') || ':*') END`);

    // The one lexeme of a one-word query, whose tsquery is that lexeme's prefix alone; NULL
    // otherwise. Inlined and folded like the above: the planner sees the index range's prefix.
    await db.query(`
      CREATE FUNCTION integrixs_prefix_lexeme(q text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN CASE WHEN length(to_tsvector('simple', q)) = 1
                         AND numnode(integrixs_prefix_tsquery(q)) = 1
                    THEN (tsvector_to_array(to_tsvector('simple', q)))[1] END`);

    await db.query(`
      CREATE TABLE asset_search_terms (
        term       text COLLATE "C" NOT NULL,
        asset_id   uuid NOT NULL REFERENCES package_assets (id) ON DELETE CASCADE,
        package_id uuid NOT NULL
      )`);
    await db.query(`
      INSERT INTO asset_search_terms (term, asset_id, package_id)
      SELECT l.lexeme, a.id, a.package_id
        FROM package_assets a CROSS JOIN LATERAL unnest(a.search) l
       WHERE a.deleted_at IS NULL`);
    // package_id rides along so the visibility rule is checked without visiting the asset.
    await db.query(
      'CREATE UNIQUE INDEX asset_search_terms_term ON asset_search_terms (term, asset_id) INCLUDE (package_id)',
    );
    await db.query('CREATE INDEX asset_search_terms_asset ON asset_search_terms (asset_id)');

    await db.query(`
      CREATE FUNCTION integrixs_index_asset_terms() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          DELETE FROM asset_search_terms WHERE asset_id = OLD.id;
        END IF;
        IF NEW.deleted_at IS NULL THEN
          INSERT INTO asset_search_terms (term, asset_id, package_id)
          SELECT lexeme, NEW.id, NEW.package_id FROM unnest(NEW.search);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER package_assets_search_terms_insert AFTER INSERT ON package_assets
        FOR EACH ROW EXECUTE FUNCTION integrixs_index_asset_terms()`);
    // Deletes cascade; an update re-indexes only when what is searched or who sees it changed.
    await db.query(`
      CREATE TRIGGER package_assets_search_terms_update
        AFTER UPDATE OF name, description, tags, deleted_at, package_id ON package_assets
        FOR EACH ROW
        WHEN (OLD.search IS DISTINCT FROM NEW.search
              OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
              OR OLD.package_id IS DISTINCT FROM NEW.package_id)
        EXECUTE FUNCTION integrixs_index_asset_terms()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER package_assets_search_terms_update ON package_assets');
    await db.query('DROP TRIGGER package_assets_search_terms_insert ON package_assets');
    await db.query('DROP FUNCTION integrixs_index_asset_terms()');
    await db.query('DROP TABLE asset_search_terms');
    await db.query('DROP FUNCTION integrixs_prefix_lexeme(text)');
    await db.query(`
      CREATE OR REPLACE FUNCTION integrixs_prefix_tsquery(q text) RETURNS tsquery
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        ${PREFIX_TSQUERY_AGG}`);
    await db.query('DROP FUNCTION integrixs_prefix_tsquery_agg(text)');
  }
}
