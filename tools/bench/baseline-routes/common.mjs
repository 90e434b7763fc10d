/** What the baseline routes share: the API's list paging rules and its asset JSON. */

export const ASSET_TYPES = ['SCHEMA', 'ADAPTER', 'MAPPING', 'FLOW'];
export const ASSET_STATUSES = ['DRAFT', 'READY', 'ARCHIVED'];

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

/**
 * `{ items, total, totalIsEstimate, nextCursor }` from a page query that fetched limit + 1 rows
 * (default sort: name; the first key as `cursor_value`).
 */
export function keysetPage(rows, { total, totalIsEstimate }, limit, toItem, idColumn) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify({ s: 'name', k: [last.cursor_value, last[idColumn]] })).toString(
          'base64url',
        )
      : null;
  return { items: items.map(toItem), total, totalIsEstimate, nextCursor };
}

const iso = (date) => (date === null ? null : date.toISOString());

/** The API's AssetDto from a row of package_assets (asset-query.service.ts assetRowView). */
export function assetRowView(row) {
  return {
    id: row.id,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    updatedByName: row.updated_by_name,
    packageId: row.package_id,
    type: row.type,
    name: row.name,
    description: row.description,
    tags: row.tags,
    status: row.status,
    currentVersion: row.current_version,
    lock: row.locked_by ? { lockedBy: row.locked_by, lockedAt: iso(row.locked_at) } : null,
  };
}

/** The API's PackageDto from a row of the package list (package-views.ts packageRowView). */
export function packageRowView(row) {
  const assetCounts = {
    SCHEMA: row.schema_count,
    ADAPTER: row.adapter_count,
    MAPPING: row.mapping_count,
    FLOW: row.flow_count,
  };
  return {
    id: row.id,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    updatedByName: row.updated_by_name,
    name: row.name,
    description: row.description,
    tags: row.tags,
    owner: row.owner,
    assetCounts,
    totalAssets: row.schema_count + row.adapter_count + row.mapping_count + row.flow_count,
    deletedAt: iso(row.deleted_at),
  };
}
