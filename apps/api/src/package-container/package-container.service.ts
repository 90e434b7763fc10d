import { Injectable } from '@nestjs/common';

import {
  ASSET_STATUSES,
  emptyAssetCounts,
  type AssetStatus,
  type AssetType,
} from '@integrixs/domain';

import { AssetQueryService } from '../asset/asset-query.service';
import {
  type AdapterListQueryDto,
  type AssetListQueryDto,
} from '../asset/dto/asset-list-query.dto';
import { type AssetDto } from '../asset/dto/asset.dto';
import { type CountedPage } from '../core/listing/keyset-page';
import { type ContainerContentsDto } from './dto/container-contents.dto';

const LAST_MODIFIED_LIMIT = 10;

/**
 * One view over everything in a package: summary counts and the per-type libraries. Callers
 * make sure the package exists and is live (its routes' permission guard does: a deleted or
 * unknown package is a 404 there).
 */
@Injectable()
export class PackageContainerService {
  constructor(private readonly assets: AssetQueryService) {}

  async contents(packageId: string): Promise<ContainerContentsDto> {
    const { byTypeAndStatus, lastModified } = await this.assets.contents(
      packageId,
      LAST_MODIFIED_LIMIT,
    );
    const byType = emptyAssetCounts();
    const byStatus = Object.fromEntries(ASSET_STATUSES.map((s) => [s, 0])) as Record<
      AssetStatus,
      number
    >;
    let totalAssets = 0;
    for (const row of byTypeAndStatus) {
      byType[row.type] += row.count;
      byStatus[row.status] += row.count;
      totalAssets += row.count;
    }
    return {
      packageId,
      totalAssets,
      byType,
      byStatus,
      byTypeAndStatus,
      lastModified,
      readiness: { status: 'NOT_EVALUATED', failingItems: 0, checkedAt: null },
    };
  }

  async library(
    packageId: string,
    type: AssetType,
    query: AssetListQueryDto,
  ): Promise<CountedPage<AssetDto>> {
    return this.assets.listInPackage(packageId, type, query);
  }

  /** The package's adapters, optionally of one adapter type. */
  async adapters(packageId: string, query: AdapterListQueryDto): Promise<CountedPage<AssetDto>> {
    const { adapterType, ...rest } = query;
    return this.assets.listInPackage(
      packageId,
      'ADAPTER',
      rest,
      adapterType === undefined
        ? []
        : [
            (bind) =>
              `a.id IN (SELECT asset_id FROM package_adapters WHERE adapter_type = ${bind(adapterType)})`,
          ],
    );
  }
}
