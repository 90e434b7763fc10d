import { emptyAssetCounts, type AssetType } from '@integrixs/domain';

import { type PackageDto } from './dto/package.dto';
import { type IntegrationPackage } from './entities/integration-package.entity';

export function toPackageView(
  pkg: IntegrationPackage,
  counts: Record<AssetType, number> = emptyAssetCounts(),
): PackageDto {
  return {
    id: pkg.id,
    name: pkg.name,
    description: pkg.description,
    tags: pkg.tags,
    owner: pkg.owner,
    version: pkg.version,
    assetCounts: counts,
    totalAssets: Object.values(counts).reduce((sum, n) => sum + n, 0),
    createdAt: pkg.createdAt.toISOString(),
    updatedAt: pkg.updatedAt.toISOString(),
    createdBy: pkg.createdBy,
    updatedBy: pkg.updatedBy,
    deletedAt: pkg.deletedAt?.toISOString() ?? null,
  };
}
