import { checkUuid, emptyAssetCounts } from './common.mjs';

/**
 * The graph group's baseline: the bare recursive query on package_asset_dependencies with pg,
 * answering "what depends on this asset, and how far away" (each asset at its nearest depth).
 * No path, no visibility rule, no subject check: the least work an answer needs. The scenarios
 * compare its ids and depths with the API's (scenarios/graph.mjs); the JSON differs (the API
 * adds paths and more), so the group verifies them itself.
 */
export const DEPENDENTS_SQL = `
  WITH RECURSIVE walk (id, depth) AS (
    SELECT from_asset_id, 1 FROM package_asset_dependencies
     WHERE to_asset_id = $1 AND NOT transitive
    UNION
    SELECT d.from_asset_id, w.depth + 1
      FROM walk w JOIN package_asset_dependencies d ON d.to_asset_id = w.id AND NOT d.transitive
     WHERE w.depth < $2
  )
  SELECT a.id, a.package_id AS "packageId", a.type, a.name, min(w.depth)::int AS depth
    FROM walk w JOIN package_assets a ON a.id = w.id
   WHERE a.deleted_at IS NULL AND a.id <> $1
   GROUP BY a.id
   ORDER BY depth, a.name, a.id`;

export function graphRoutes(app, pool) {
  app.get('/api/packages/:id/assets/:assetId/dependents', async (request, reply) => {
    const { assetId } = request.params;
    if (!checkUuid(assetId, reply)) return reply;
    const { rows } = await pool.query(DEPENDENTS_SQL, [assetId, 64]);
    return { assetId, items: rows, hidden: 0 };
  });

  app.get('/api/packages/:id/assets/:assetId/impact', async (request, reply) => {
    const { assetId } = request.params;
    if (!checkUuid(assetId, reply)) return reply;
    const { rows } = await pool.query(DEPENDENTS_SQL, [assetId, 10]);
    const byType = emptyAssetCounts();
    for (const row of rows) byType[row.type]++;
    return { assetId, affected: rows, byType, hidden: 0 };
  });
}
