import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { emptyAssetCounts, type AssetStatus, type AssetType } from '@integrixs/domain';

import { applyListFilters, keysetPage, type Page } from '../core/listing/keyset-page';
import { type VisibilityScope } from '../identity/principal';
import { restrictToVisiblePackages } from '../identity/visibility-filter';
import { ASSET_ROW_COLUMNS, assetFromRow, toAssetView, type AssetRow } from './asset-views';
import { type AssetListQueryDto, type AssetSearchQueryDto } from './dto/asset-list-query.dto';
import { type AssetDto, type AssetSearchResultDto } from './dto/asset.dto';
import { PackageAsset } from './entities/package-asset.entity';

export interface TypeStatusCount {
  type: AssetType;
  status: AssetStatus;
  count: number;
}

/** Reads of the asset registry: lists, search, counts. One query each, never one per item. */
@Injectable()
export class AssetQueryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Live assets of one type in one package, optionally limited to some statuses. */
  async listInPackage(
    packageId: string,
    type: AssetType,
    query: AssetListQueryDto,
    statuses?: readonly AssetStatus[],
  ): Promise<Page<AssetDto>> {
    const qb = this.db
      .getRepository(PackageAsset)
      .createQueryBuilder('a')
      .where('a.package_id = :packageId AND a.type = :type', { packageId, type });
    if (query.status !== undefined) qb.andWhere('a.status = :status', { status: query.status });
    if (statuses) qb.andWhere('a.status IN (:...statuses)', { statuses });
    const page = await keysetPage(applyListFilters(qb, 'a', query), 'a', query);
    return { ...page, items: page.items.map(toAssetView) };
  }

  /** `GET /api/assets`: search across every live package the caller may see. */
  async search(
    query: AssetSearchQueryDto,
    scope: VisibilityScope,
  ): Promise<Page<AssetSearchResultDto>> {
    const filtered = applyListFilters(
      restrictToVisiblePackages(
        this.db.getRepository(PackageAsset).createQueryBuilder('a'),
        'a.package_id',
        scope,
      ),
      'a',
      query,
    );
    if (query.type !== undefined) filtered.andWhere('a.type = :type', { type: query.type });
    if (query.status !== undefined)
      filtered.andWhere('a.status = :status', { status: query.status });
    // Assets of a deleted package are deleted with it, so counting needs no join. The package
    // is joined by its table: the asset module sits below package-metadata and imports nothing of it.
    return keysetPage(
      filtered
        .clone()
        .innerJoin('integration_packages', 'p', 'p.id = a.package_id')
        .addSelect('p.name', 'package_name'),
      'a',
      query,
      {
        countQuery: filtered,
        item: (asset, row) => ({
          ...toAssetView(asset),
          packageName: String(row['package_name']),
        }),
      },
    );
  }

  /** Live asset counts by type for each of `packageIds`, in one query (trigger-kept counters). */
  async countsByPackage(packageIds: string[]): Promise<Map<string, Record<AssetType, number>>> {
    const counts = new Map(packageIds.map((id) => [id, emptyAssetCounts()]));
    if (packageIds.length === 0) return counts;
    const rows = await this.db.query<{ package_id: string; type: AssetType; count: number }[]>(
      `SELECT package_id, type, sum(live)::int AS count
         FROM package_asset_counts
        WHERE package_id = ANY($1::uuid[])
        GROUP BY package_id, type`,
      [packageIds],
    );
    for (const row of rows) {
      const forPackage = counts.get(row.package_id);
      if (forPackage) forPackage[row.type] = row.count;
    }
    return counts;
  }

  async countsByTypeAndStatus(packageId: string): Promise<TypeStatusCount[]> {
    return this.db.query<TypeStatusCount[]>(
      `SELECT type, status, live AS count
         FROM package_asset_counts
        WHERE package_id = $1 AND live > 0
        ORDER BY type, status`,
      [packageId],
    );
  }

  /** Plain SQL on this hot path (every package page shows it): no query building, no hydration. */
  async lastModified(packageId: string, limit: number): Promise<AssetDto[]> {
    const rows = await this.db.query<AssetRow[]>(
      `SELECT ${ASSET_ROW_COLUMNS} FROM package_assets
        WHERE package_id = $1 AND deleted_at IS NULL
        ORDER BY updated_at DESC, id DESC LIMIT $2`,
      [packageId, limit],
    );
    return rows.map((row) => toAssetView(assetFromRow(row)));
  }
}
