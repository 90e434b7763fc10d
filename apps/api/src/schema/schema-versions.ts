import { type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { NotFoundError } from '../core/errors/app-error';
import { type KeysetOrder } from '../core/listing/cursor';
import { sqlKeysetPage } from '../core/listing/keyset-page';
import { actorNameSql } from '../identity/actor-names';
import {
  type SchemaVersionDetailDto,
  type SchemaVersionDto,
  type SchemaVersionPageDto,
} from './dto/schema-views.dto';

/** A schema's versions as the versions routes list them (newest first, with their authors). */

interface VersionListRow {
  version_number: number;
  content_hash: string;
  message: string;
  created_at: Date;
  created_by: string;
  username: string | null;
}

/** Newest first (version numbers are unique per asset). */
const NEWEST_FIRST: KeysetOrder = {
  name: '-version',
  descending: true,
  keys: [{ sql: 'v.version_number', type: 'integer' }],
};

/** One page of versions, after `cursor` (the `nextCursor` of the page before). */
export async function versionPage(
  m: EntityManager,
  asset: { id: string; currentVersion: number },
  limit: number,
  cursor: string | undefined,
): Promise<SchemaVersionPageDto> {
  const params = new SqlParams();
  const page = await sqlKeysetPage<VersionListRow>(
    (sql, values) => queryRows(m, sql, values),
    {
      select: `SELECT v.version_number, v.content_hash, v.message, v.created_at, v.created_by,
                      ${actorNameSql('v.created_by')} AS username
                 FROM asset_versions v`,
      where: [`v.asset_id = ${params.bind(asset.id)}`],
      params,
      order: NEWEST_FIRST,
      keysOf: (row) => [row.version_number],
      total: asset.currentVersion,
    },
    { limit, cursor },
  );
  return { ...page, items: page.items.map(versionView) };
}

/** Version `n` of a schema (or another asset: `what`), with its content; 404 when there is none. */
export async function versionDetail(
  m: EntityManager,
  schemaId: string,
  n: number,
  what = 'schema',
): Promise<SchemaVersionDetailDto> {
  const [row] = await queryRows<VersionListRow & { content: unknown }>(
    m,
    `SELECT v.version_number, v.content_hash, v.message, v.created_at, v.created_by,
            ${actorNameSql('v.created_by')} AS username, v.content
       FROM asset_versions v
      WHERE v.asset_id = $1 AND v.version_number = $2`,
    [schemaId, n],
  );
  if (!row) throw new NotFoundError(`Version ${n} of ${what}`, schemaId);
  return { ...versionView(row), content: row.content };
}

function versionView(row: VersionListRow): SchemaVersionDto {
  return {
    version: row.version_number,
    contentHash: row.content_hash,
    message: row.message,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    author: row.username ?? row.created_by,
  };
}
