import {
  ASSET_STATUSES,
  assetView,
  checkUuid,
  emptyAssetCounts,
  keysetPage,
  listQuery,
  packageView,
} from './common.mjs';

/*
 * The SQL below is what the API sends for these routes, captured from its pg client (TypeORM's
 * query builder output, whitespace aside). Keep it in step with package-metadata.service.ts,
 * asset-query.service.ts, package-container.service.ts and core/listing/keyset-page.ts.
 */

const PACKAGE_COLUMNS = `"p"."id" AS "p_id", "p"."created_at" AS "p_created_at", "p"."updated_at" AS "p_updated_at", "p"."created_by" AS "p_created_by", "p"."updated_by" AS "p_updated_by", "p"."version" AS "p_version", "p"."deleted_at" AS "p_deleted_at", "p"."name" AS "p_name", "p"."description" AS "p_description", "p"."tags" AS "p_tags", "p"."owner" AS "p_owner"`;
const ASSET_COLUMNS = `"a"."id" AS "a_id", "a"."created_at" AS "a_created_at", "a"."updated_at" AS "a_updated_at", "a"."created_by" AS "a_created_by", "a"."updated_by" AS "a_updated_by", "a"."version" AS "a_version", "a"."deleted_at" AS "a_deleted_at", "a"."package_id" AS "a_package_id", "a"."type" AS "a_type", "a"."name" AS "a_name", "a"."description" AS "a_description", "a"."tags" AS "a_tags", "a"."status" AS "a_status", "a"."locked_by" AS "a_locked_by", "a"."locked_at" AS "a_locked_at", "a"."current_version" AS "a_current_version"`;

const SQL = {
  packageCount: `SELECT COUNT(1) AS "cnt" FROM "integration_packages" "p" WHERE "p"."deleted_at" IS NULL`,
  packagePage: (limit) =>
    `SELECT ${PACKAGE_COLUMNS}, (lower("p"."name"))::text AS "cursor_value" FROM "integration_packages" "p" WHERE "p"."deleted_at" IS NULL ORDER BY lower("p"."name") ASC, "p"."id" ASC LIMIT ${limit + 1}`,
  countsByPackage: `SELECT package_id, type, sum(live)::int AS count
         FROM package_asset_counts
        WHERE package_id = ANY($1::uuid[])
        GROUP BY package_id, type`,

  packageExists: `SELECT EXISTS (SELECT 1 FROM integration_packages WHERE id = $1 AND deleted_at IS NULL) AS live`,
  countsByTypeAndStatus: `SELECT type, status, live AS count
         FROM package_asset_counts
        WHERE package_id = $1 AND live > 0
        ORDER BY type, status`,
  // Plain SQL in the API too (asset-query.service.ts lastModified); the `a_` aliases let the
  // shared row mapper read it.
  lastModified: `SELECT id AS a_id, package_id AS a_package_id, type AS a_type, name AS a_name, description AS a_description, tags AS a_tags, status AS a_status, current_version AS a_current_version, locked_by AS a_locked_by, locked_at AS a_locked_at, version AS a_version, created_at AS a_created_at, updated_at AS a_updated_at, created_by AS a_created_by, updated_by AS a_updated_by FROM package_assets
        WHERE package_id = $1 AND deleted_at IS NULL
        ORDER BY updated_at DESC, id DESC LIMIT $2`,

  searchWhere: (withQ) =>
    withQ
      ? `WHERE ( a.search @@ integrixs_prefix_tsquery($1) ) AND ( "a"."deleted_at" IS NULL )`
      : `WHERE "a"."deleted_at" IS NULL`,
};
// Assets of a deleted package are deleted with it: the count needs no join.
SQL.searchCount = (withQ) =>
  `SELECT COUNT(1) AS "cnt" FROM "package_assets" "a" ${SQL.searchWhere(withQ)}`;
SQL.searchPage = (withQ, limit) =>
  `SELECT ${ASSET_COLUMNS}, ${PACKAGE_COLUMNS}, (lower("a"."name"))::text AS "cursor_value" FROM "package_assets" "a" INNER JOIN "integration_packages" "p" ON "p"."id"="a"."package_id" AND ("p"."deleted_at" IS NULL) ${SQL.searchWhere(withQ)} ORDER BY lower("a"."name") ASC, "a"."id" ASC LIMIT ${limit + 1}`;

/** Routes of the `packages` scenario group: package list, container contents, asset search. */
export function packagesRoutes(app, pool) {
  app.get('/api/packages', async (request, reply) => {
    const query = listQuery(request, reply, ['limit']);
    if (!query) return reply;
    // Count and page in parallel, as the API does.
    const [counted, { rows }] = await Promise.all([
      pool.query(SQL.packageCount),
      pool.query(SQL.packagePage(query.limit)),
    ]);
    const total = Number(counted.rows[0].cnt);
    const ids = rows.slice(0, query.limit).map((row) => row.p_id);
    const counts = new Map(ids.map((id) => [id, emptyAssetCounts()]));
    if (ids.length > 0) {
      for (const row of (await pool.query(SQL.countsByPackage, [ids])).rows) {
        const forPackage = counts.get(row.package_id);
        if (forPackage) forPackage[row.type] = row.count;
      }
    }
    return keysetPage(
      rows,
      total,
      query.limit,
      (row) => packageView(row, counts.get(row.p_id)),
      'p_id',
    );
  });

  app.get('/api/packages/:id/container/contents', async (request, reply) => {
    const { id } = request.params;
    if (!checkUuid(id, reply)) return reply;
    if (!(await pool.query(SQL.packageExists, [id])).rows[0].live) {
      return reply.code(404).send({ status: 404, detail: `Package ${id} not found` });
    }
    const [byTypeAndStatus, lastModified] = await Promise.all([
      pool.query(SQL.countsByTypeAndStatus, [id]).then((r) => r.rows),
      pool.query(SQL.lastModified, [id, 10]).then((r) => r.rows.map(assetView)),
    ]);
    const byType = emptyAssetCounts();
    const byStatus = Object.fromEntries(ASSET_STATUSES.map((s) => [s, 0]));
    for (const row of byTypeAndStatus) {
      byType[row.type] += row.count;
      byStatus[row.status] = (byStatus[row.status] ?? 0) + row.count;
    }
    return {
      packageId: id,
      totalAssets: byTypeAndStatus.reduce((sum, row) => sum + row.count, 0),
      byType,
      byStatus,
      byTypeAndStatus,
      lastModified,
      readiness: { status: 'NOT_EVALUATED', failingItems: 0, checkedAt: null },
    };
  });

  app.get('/api/assets', async (request, reply) => {
    const query = listQuery(request, reply, ['q', 'limit']);
    if (!query) return reply;
    const withQ = typeof query.q === 'string' && query.q.trim() !== '';
    const params = withQ ? [query.q] : [];
    const [counted, { rows }] = await Promise.all([
      pool.query(SQL.searchCount(withQ), params),
      pool.query(SQL.searchPage(withQ, query.limit), params),
    ]);
    const total = Number(counted.rows[0].cnt);
    return keysetPage(
      rows,
      total,
      query.limit,
      (row) => ({ ...assetView(row), packageName: row.p_name }),
      'a_id',
    );
  });
}
