/** What the baseline routes share: the API's list paging rules and its asset JSON. */

export const ASSET_TYPES = ['SCHEMA', 'ADAPTER', 'MAPPING', 'FLOW'];
export const ASSET_STATUSES = ['DRAFT', 'READY', 'DEPLOYED', 'SUSPENDED', 'ARCHIVED'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function emptyAssetCounts() {
  return Object.fromEntries(ASSET_TYPES.map((type) => [type, 0]));
}

/** Sends a 400 and returns null unless the query has only `allowed` keys and a valid limit. */
export function listQuery(request, reply, allowed) {
  const query = request.query ?? {};
  const unsupported = Object.keys(query).filter((key) => !allowed.includes(key));
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (unsupported.length > 0 || !Number.isInteger(limit) || limit < 1 || limit > 200) {
    void reply.code(400).send({
      status: 400,
      detail: `the baseline supports ${allowed.join(', ')} (limit 1-200); got ${JSON.stringify(query)}`,
    });
    return null;
  }
  return { ...query, limit };
}

export function checkUuid(id, reply) {
  if (UUID.test(id)) return true;
  void reply.code(400).send({ status: 400, detail: 'id must be a UUID' });
  return false;
}

/** `{ items, total, nextCursor }` from a page query that fetched limit + 1 rows (default sort: name). */
export function keysetPage(rows, total, limit, toItem, idColumn) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify({ s: 'name', k: [last.cursor_value, last[idColumn]] })).toString(
          'base64url',
        )
      : null;
  return { items: items.map(toItem), total, nextCursor };
}

const iso = (date) => (date === null ? null : date.toISOString());

/** The API's AssetDto from a row selected with TypeORM's `a_` column aliases. */
export function assetView(row) {
  return {
    id: row.a_id,
    packageId: row.a_package_id,
    type: row.a_type,
    name: row.a_name,
    description: row.a_description,
    tags: row.a_tags,
    status: row.a_status,
    currentVersion: row.a_current_version,
    version: row.a_version,
    createdAt: iso(row.a_created_at),
    updatedAt: iso(row.a_updated_at),
    createdBy: row.a_created_by,
    updatedBy: row.a_updated_by,
    lock: row.a_locked_by ? { lockedBy: row.a_locked_by, lockedAt: iso(row.a_locked_at) } : null,
  };
}

/** The API's PackageDto from a row selected with TypeORM's `p_` column aliases. */
export function packageView(row, counts = emptyAssetCounts()) {
  return {
    id: row.p_id,
    name: row.p_name,
    description: row.p_description,
    tags: row.p_tags,
    owner: row.p_owner,
    version: row.p_version,
    assetCounts: counts,
    totalAssets: Object.values(counts).reduce((sum, n) => sum + n, 0),
    createdAt: iso(row.p_created_at),
    updatedAt: iso(row.p_updated_at),
    createdBy: row.p_created_by,
    updatedBy: row.p_updated_by,
    deletedAt: iso(row.p_deleted_at),
  };
}
