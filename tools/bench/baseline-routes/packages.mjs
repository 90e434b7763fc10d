import {
  ASSET_STATUSES,
  assetRowView,
  checkUuid,
  emptyAssetCounts,
  keysetPage,
  listQuery,
  packageRowView,
} from './common.mjs';

/*
 * The SQL below is what the API sends for these routes (core/listing/counted-page.ts,
 * package-metadata.service.ts, package-views.ts, asset-query.service.ts), whitespace aside: one
 * statement per list (the page, its total counted up to LIST_COUNT_CAP, and for packages their
 * asset counts), one for the container contents, and EXPLAIN for a total past the cap. A
 * one-word search counts from the term index (asset-search-count.ts), the scan only when that
 * cannot tell; a one-word search runs asset-search-count.ts's planned statement by name instead;
 * updated_by_name as identity/actor-names.ts looks it up.
 */

/** The API's default LIST_COUNT_CAP (the bench does not set it). */
const COUNT_CAP = 200;

const ASSET_ROW_COLUMNS =
  'id, package_id, type, name, description, tags, status, current_version, locked_by, locked_at, version, created_at, updated_at, created_by, updated_by';
const ASSET_COLUMNS = ASSET_ROW_COLUMNS.split(', ')
  .map((column) => `a.${column}`)
  .join(', ');
const PACKAGE_COLUMNS =
  'p.id, p.version, p.created_at, p.updated_at, p.created_by, p.updated_by, p.name, p.description, p.tags, p.owner, p.deleted_at';
/** identity/actor-names.ts actorNameSql: the username of the user id in `column`, or null. */
const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const actorNameSql = (column) => `(SELECT actor_user.username FROM users actor_user
            WHERE actor_user.id = CASE WHEN ${column} ~ '${UUID_PATTERN}' THEN ${column}::uuid END)`;
const PACKAGE_COUNTS = `CROSS JOIN LATERAL (
      SELECT coalesce(sum(c.live) FILTER (WHERE c.type = 'SCHEMA'), 0)::int AS schema_count,
             coalesce(sum(c.live) FILTER (WHERE c.type = 'ADAPTER'), 0)::int AS adapter_count,
             coalesce(sum(c.live) FILTER (WHERE c.type = 'MAPPING'), 0)::int AS mapping_count,
             coalesce(sum(c.live) FILTER (WHERE c.type = 'FLOW'), 0)::int AS flow_count
        FROM package_asset_counts c WHERE c.package_id = p.id) counts`;

/**
 * asset-search-count.ts: a one-word search's capped count from the term index (NULL when it
 * cannot tell), tried before the scan.
 */
const indexedSearchCount = (q) => {
  const lexeme = `integrixs_prefix_lexeme(${q})`;
  const sample = 2 * (COUNT_CAP + 1);
  return `SELECT CASE WHEN ${lexeme} IS NOT NULL
                       AND (count(*) < ${sample} OR count(DISTINCT asset_id) > ${COUNT_CAP})
                      THEN least(count(DISTINCT asset_id), ${COUNT_CAP + 1})::int END
            FROM (SELECT t.asset_id FROM asset_search_terms t
                   WHERE t.term ^@ ${lexeme} AND TRUE LIMIT ${sample}) sampled`;
};

/**
 * asset-search-count.ts plannedSearchPage: a one-word search of a caller who may read every
 * package, as one statement whose cached plan fits every word (run by name, as the API does).
 * $1: the page's limit, $2: the query text.
 */
const ONE_WORD = /^[\p{L}\p{N}]+$/u;
const PLANNED_SEARCH = (() => {
  const lexeme = '(SELECT integrixs_prefix_lexeme($2))';
  const tsquery = '(SELECT integrixs_prefix_tsquery($2))';
  const sample = 2 * (COUNT_CAP + 1);
  const page = (where) => `SELECT ${ASSET_COLUMNS},
        (lower(a.name))::text AS cursor_value FROM package_assets a
      WHERE ${where.join(' AND ')} ORDER BY lower(a.name) ASC, a.id ASC LIMIT $1`;
  const live = 'a.deleted_at IS NULL';
  return `WITH sampled AS MATERIALIZED (
               SELECT t.asset_id FROM asset_search_terms t
                WHERE t.term >= ${lexeme}
                  AND t.term < (SELECT integrixs_prefix_lexeme($2) || chr(1114111))
                LIMIT ${sample}),
             counted AS MATERIALIZED (
               SELECT ${lexeme} IS NOT NULL AND count(*) < ${sample} AS whole,
                      CASE WHEN ${lexeme} IS NOT NULL
                                AND (count(*) < ${sample} OR count(DISTINCT asset_id) > ${COUNT_CAP})
                           THEN least(count(DISTINCT asset_id), ${COUNT_CAP + 1})::int END AS n
                 FROM sampled)
    SELECT a.*, (SELECT n FROM counted) AS total_n,
           (SELECT p.name FROM integration_packages p WHERE p.id = a.package_id) AS package_name,
           (SELECT s.schema_type FROM package_schemas s WHERE s.asset_id = a.id) AS schema_type,
           ${actorNameSql('a.updated_by')} AS updated_by_name
      FROM ((${page(['NOT (SELECT whole FROM counted)', live, `(a.search @@ ${tsquery}) IS TRUE`])})
             UNION ALL
             (${page(['(SELECT whole FROM counted)', 'a.id IN (SELECT asset_id FROM sampled)', live, `a.search @@ ${tsquery}`])})) a
     ORDER BY lower(a.name) ASC, a.id ASC`;
})();

/** counted-page.ts: the page and its capped total in one statement. */
function countedPage(list) {
  const { alias, columns, from, countFrom, where, order, limitParam, extra, indexedCount } = list;
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const scanCount = `SELECT count(*)::int AS n FROM (SELECT 1 ${countFrom} ${filter} LIMIT ${COUNT_CAP + 1}) capped`;
  const page = `SELECT ${columns}, (${order[0]})::text AS cursor_value ${from}
    ${filter} ORDER BY ${order.map((key) => `${key} ASC`).join(', ')} LIMIT ${limitParam}`;
  return {
    scanCount,
    explainSql: `EXPLAIN (FORMAT JSON) SELECT 1 ${countFrom} ${filter}`,
    pageSql: `SELECT ${alias}.*, (${indexedCount ?? scanCount}) AS total_n${extra ? `, ${extra.columns}` : ''}
       FROM (${page}) ${alias} ${extra?.joins ?? ''}
      ORDER BY ${order.map((key) => `${key} ASC`).join(', ')}`,
  };
}

const SQL = {
  packages: countedPage({
    alias: 'p',
    columns: PACKAGE_COLUMNS,
    from: 'FROM integration_packages p',
    countFrom: 'FROM integration_packages p',
    where: ['p.deleted_at IS NULL'],
    order: ['lower(p.name)', 'p.id'],
    limitParam: '$1',
    extra: {
      columns: `counts.schema_count, counts.adapter_count, counts.mapping_count, counts.flow_count,
                ${actorNameSql('p.updated_by')} AS updated_by_name`,
      joins: PACKAGE_COUNTS,
    },
  }),
  packageExists: `SELECT EXISTS (SELECT 1 FROM integration_packages WHERE id = $1 AND deleted_at IS NULL) AS live`,
  contents: `SELECT ${ASSET_ROW_COLUMNS}, ${actorNameSql('package_assets.updated_by')} AS updated_by_name,
              (SELECT coalesce(json_agg(json_build_object('type', type, 'status', status,
                                                          'count', live) ORDER BY type, status),
                               '[]')::text
                 FROM package_asset_counts WHERE package_id = $1 AND live > 0) AS counts
         FROM package_assets
        WHERE package_id = $1 AND deleted_at IS NULL
        ORDER BY updated_at DESC, id DESC LIMIT $2`,
  search: (withQ) =>
    countedPage({
      alias: 'a',
      columns: ASSET_COLUMNS,
      from: 'FROM package_assets a',
      countFrom: 'FROM package_assets a',
      where: withQ
        ? ['a.deleted_at IS NULL', 'a.search @@ integrixs_prefix_tsquery($1)']
        : ['a.deleted_at IS NULL'],
      order: ['lower(a.name)', 'a.id'],
      limitParam: withQ ? '$3' : '$1',
      extra: {
        columns: `(SELECT p.name FROM integration_packages p WHERE p.id = a.package_id)
                    AS package_name,
                  (SELECT s.schema_type FROM package_schemas s WHERE s.asset_id = a.id)
                    AS schema_type, ${actorNameSql('a.updated_by')} AS updated_by_name`,
      },
      // The API binds the query text twice (the filter and the term index); so does the baseline.
      indexedCount: withQ ? indexedSearchCount('$2') : undefined,
    }),
};

/**
 * `total` and `totalIsEstimate` as counted-page.ts settles them (the bench sends no cursor, so a
 * page is never empty); `matchingParams`: the filters' values, without the term index's.
 */
async function countedTotal(pool, sql, rows, limit, matchingParams) {
  if (rows.length <= limit) return { total: rows.length, totalIsEstimate: false };
  // NULL: the term index could not tell; the scan counts.
  const counted = rows[0].total_n ?? (await pool.query(sql.scanCount, matchingParams)).rows[0].n;
  if (counted <= COUNT_CAP) return { total: counted, totalIsEstimate: false };
  const { rows: plan } = await pool.query(sql.explainSql, matchingParams);
  const estimate = Math.round(plan[0]['QUERY PLAN'][0].Plan['Plan Rows']);
  return { total: Math.max(COUNT_CAP + 1, estimate), totalIsEstimate: true };
}

/** Routes of the `packages` scenario group: package list, container contents, asset search. */
export function packagesRoutes(app, pool) {
  app.get('/api/packages', async (request, reply) => {
    const query = listQuery(request, reply, ['limit']);
    if (!query) return reply;
    const { rows } = await pool.query(SQL.packages.pageSql, [query.limit + 1]);
    const { total, totalIsEstimate } = await countedTotal(
      pool,
      SQL.packages,
      rows,
      query.limit,
      [],
    );
    return keysetPage(rows, { total, totalIsEstimate }, query.limit, packageRowView, 'id');
  });

  app.get('/api/packages/:id/container/contents', async (request, reply) => {
    const { id } = request.params;
    if (!checkUuid(id, reply)) return reply;
    if (!(await pool.query(SQL.packageExists, [id])).rows[0].live) {
      return reply.code(404).send({ status: 404, detail: `Package ${id} not found` });
    }
    const { rows } = await pool.query(SQL.contents, [id, 10]);
    const byTypeAndStatus = rows[0] ? JSON.parse(rows[0].counts) : [];
    const lastModified = rows.map(assetRowView);
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
    const params = withQ ? [query.q, query.q] : [];
    const sql = SQL.search(withQ);
    const { rows } =
      withQ && ONE_WORD.test(query.q.trim())
        ? await pool.query({
            name: 'planned_search',
            text: PLANNED_SEARCH,
            values: [query.limit + 1, query.q],
          })
        : await pool.query(sql.pageSql, [...params, query.limit + 1]);
    const counted = await countedTotal(pool, sql, rows, query.limit, params.slice(0, 1));
    return keysetPage(
      rows,
      counted,
      query.limit,
      (row) => ({
        ...assetRowView(row),
        packageName: row.package_name,
        schemaType: row.schema_type,
      }),
      'id',
    );
  });
}
