import { emptyAssetCounts, type AssetType } from '@integrixs/domain';

import { auditedView } from '../core/http/audited.dto';
import {
  AUDITED_PROPERTIES,
  countedPageSchema,
  INTEGER,
  NULLABLE_STRING,
  objectSchema,
  STRING,
  STRINGS,
} from '../core/listing/response-schema';
import { actorNameSql } from '../identity/actor-names';
import { type PackageDto } from './dto/package.dto';
import { type IntegrationPackage } from './entities/integration-package.entity';

/** The view of a package entity (a new one: no assets yet, unless `counts` says otherwise). */
export function toPackageView(
  pkg: IntegrationPackage,
  updatedByName: string | null,
  counts: Record<AssetType, number> = emptyAssetCounts(),
): PackageDto {
  return {
    ...auditedView(pkg),
    updatedByName,
    name: pkg.name,
    description: pkg.description,
    tags: pkg.tags,
    owner: pkg.owner,
    assetCounts: counts,
    totalAssets: Object.values(counts).reduce((sum, n) => sum + n, 0),
    deletedAt: pkg.deletedAt?.toISOString() ?? null,
  };
}

/** Columns of integration_packages as the package list selects them (alias `p`). */
export const PACKAGE_ROW_COLUMNS =
  'p.id, p.version, p.created_at, p.updated_at, p.created_by, p.updated_by, p.name, p.description, p.tags, p.owner, p.deleted_at';

/**
 * Each listed package's live asset counts by type, from the trigger-kept counters, and the
 * username of its last updater (computed for the cut page's rows only).
 */
export const PACKAGE_EXTRA_COLUMNS = {
  columns: `counts.schema_count, counts.adapter_count, counts.mapping_count, counts.flow_count,
            ${actorNameSql('p.updated_by')} AS updated_by_name`,
  joins: `CROSS JOIN LATERAL (
      SELECT coalesce(sum(c.live) FILTER (WHERE c.type = 'SCHEMA'), 0)::int AS schema_count,
             coalesce(sum(c.live) FILTER (WHERE c.type = 'ADAPTER'), 0)::int AS adapter_count,
             coalesce(sum(c.live) FILTER (WHERE c.type = 'MAPPING'), 0)::int AS mapping_count,
             coalesce(sum(c.live) FILTER (WHERE c.type = 'FLOW'), 0)::int AS flow_count
        FROM package_asset_counts c WHERE c.package_id = p.id) counts`,
};

export interface PackageRow {
  id: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  created_by: string;
  updated_by: string;
  name: string;
  description: string;
  tags: string[];
  owner: string | null;
  deleted_at: Date | null;
  schema_count: number;
  adapter_count: number;
  mapping_count: number;
  flow_count: number;
  updated_by_name: string | null;
}

/** The view of a listed package from its raw row (the shape `toPackageView` gives an entity). */
export function packageRowView(row: PackageRow): PackageDto {
  const assetCounts = {
    SCHEMA: row.schema_count,
    ADAPTER: row.adapter_count,
    MAPPING: row.mapping_count,
    FLOW: row.flow_count,
  };
  return {
    id: row.id,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    updatedByName: row.updated_by_name,
    name: row.name,
    description: row.description,
    tags: row.tags,
    owner: row.owner,
    assetCounts,
    totalAssets: row.schema_count + row.adapter_count + row.mapping_count + row.flow_count,
    deletedAt: row.deleted_at?.toISOString() ?? null,
  };
}

export const ASSET_COUNTS_SCHEMA = objectSchema({
  SCHEMA: INTEGER,
  ADAPTER: INTEGER,
  MAPPING: INTEGER,
  FLOW: INTEGER,
});

/** Response schema of the package list (PackagePageDto), in PackageDto's property order. */
export const PACKAGE_PAGE_SCHEMA = countedPageSchema(
  objectSchema({
    ...AUDITED_PROPERTIES,
    updatedByName: NULLABLE_STRING,
    name: STRING,
    description: STRING,
    tags: STRINGS,
    owner: NULLABLE_STRING,
    assetCounts: ASSET_COUNTS_SCHEMA,
    totalAssets: INTEGER,
    deletedAt: NULLABLE_STRING,
  }),
);
