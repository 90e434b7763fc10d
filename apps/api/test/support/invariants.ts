import { type Pool } from 'pg';

/**
 * Rows where the trigger-kept `package_asset_counts` disagrees with counting `package_assets`
 * (live assets by package, type and status). Empty when the counters are right.
 */
export async function assetCountMismatches(pool: Pool): Promise<unknown[]> {
  const { rows } = await pool.query<Record<string, unknown>>(`
    WITH actual AS (
      SELECT package_id, type, status, count(*)::int AS live
        FROM package_assets WHERE deleted_at IS NULL GROUP BY 1, 2, 3),
    kept AS (SELECT package_id, type, status, live FROM package_asset_counts WHERE live <> 0)
    SELECT coalesce(a.package_id, k.package_id) AS package_id, coalesce(a.type, k.type) AS type,
           coalesce(a.status, k.status) AS status, a.live AS actual, k.live AS kept
      FROM actual a FULL JOIN kept k USING (package_id, type, status)
     WHERE a.live IS DISTINCT FROM k.live`);
  return rows;
}
