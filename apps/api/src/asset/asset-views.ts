import { auditedView } from '../core/http/audited.dto';
import { actorNameSql } from '../identity/actor-names';
import { type AssetDetailDto, type AssetDto } from './dto/asset.dto';
import { type AssetVersion } from './entities/asset-version.entity';
import { type PackageAsset } from './entities/package-asset.entity';

/** The view of an asset entity; `updatedByName` as `actorName` found it for `updatedBy`. */
export function toAssetView(asset: PackageAsset, updatedByName: string | null): AssetDto {
  return {
    ...auditedView(asset),
    updatedByName,
    packageId: asset.packageId,
    type: asset.type,
    name: asset.name,
    description: asset.description,
    tags: asset.tags,
    status: asset.status,
    currentVersion: asset.currentVersion,
    lock:
      asset.lockedBy && asset.lockedAt
        ? { lockedBy: asset.lockedBy, lockedAt: asset.lockedAt.toISOString() }
        : null,
  };
}

export function toAssetDetail(
  asset: PackageAsset,
  version: AssetVersion,
  updatedByName: string | null,
): AssetDetailDto {
  return {
    ...toAssetView(asset, updatedByName),
    content: version.content,
    contentHash: version.contentHash,
    versionMessage: version.message,
  };
}

/** Columns of package_assets as the raw-SQL read paths select them. */
export const ASSET_ROW_COLUMNS =
  'id, package_id, type, name, description, tags, status, current_version, locked_by, locked_at, version, created_at, updated_at, created_by, updated_by';

/**
 * The username of the asset's last updater, for a raw-SQL read: `alias` is the package_assets
 * alias (in a counted list, the cut page's, so only its rows are looked up).
 */
export function assetActorColumns(alias: string): string {
  return `${actorNameSql(`${alias}.updated_by`)} AS updated_by_name`;
}

export interface AssetRow {
  id: string;
  package_id: string;
  type: PackageAsset['type'];
  name: string;
  description: string;
  tags: string[];
  status: PackageAsset['status'];
  current_version: number;
  locked_by: string | null;
  locked_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  created_by: string;
  updated_by: string;
  /** From `assetActorColumns`. */
  updated_by_name: string | null;
}

/** The view of an asset from its raw row (what `toAssetView` makes of the entity). */
export function assetRowView(row: AssetRow): AssetDto {
  return {
    id: row.id,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
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
    lock:
      row.locked_by && row.locked_at
        ? { lockedBy: row.locked_by, lockedAt: row.locked_at.toISOString() }
        : null,
  };
}
