import { type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { NotFoundError, ValidationError } from '../core/errors/app-error';
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

/** One page of versions below `cursor` (a version number this list returned). */
export async function versionPage(
  m: EntityManager,
  asset: { id: string; currentVersion: number },
  limit: number,
  cursor: string | undefined,
): Promise<SchemaVersionPageDto> {
  const before = cursor === undefined ? null : Number(cursor);
  if (before !== null && (!Number.isInteger(before) || before < 1)) {
    throw ValidationError.of('cursor', 'is not a cursor this list returned');
  }
  const rows = await queryRows<VersionListRow>(
    m,
    `SELECT v.version_number, v.content_hash, v.message, v.created_at, v.created_by, u.username
       FROM asset_versions v LEFT JOIN users u ON u.id::text = v.created_by
      WHERE v.asset_id = $1 AND ($2::int IS NULL OR v.version_number < $2)
      ORDER BY v.version_number DESC
      LIMIT $3`,
    [asset.id, before, limit + 1],
  );
  const items = rows.slice(0, limit).map(versionView);
  return {
    items,
    total: asset.currentVersion,
    nextCursor: rows.length > limit ? String(items[items.length - 1].version) : null,
  };
}

/** Version `n` of a schema, with its content; 404 when it has no such version. */
export async function versionDetail(
  m: EntityManager,
  schemaId: string,
  n: number,
): Promise<SchemaVersionDetailDto> {
  const [row] = await queryRows<VersionListRow & { content: unknown }>(
    m,
    `SELECT v.version_number, v.content_hash, v.message, v.created_at, v.created_by, u.username,
            v.content
       FROM asset_versions v LEFT JOIN users u ON u.id::text = v.created_by
      WHERE v.asset_id = $1 AND v.version_number = $2`,
    [schemaId, n],
  );
  if (!row) throw new NotFoundError(`Version ${n} of schema`, schemaId);
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
