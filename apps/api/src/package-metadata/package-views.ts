import { emptyAssetCounts, type AssetType } from '@integrixs/domain';

import { auditedView } from '../core/http/audited.dto';
import { type PackageDto } from './dto/package.dto';
import { type IntegrationPackage } from './entities/integration-package.entity';

export function toPackageView(
  pkg: IntegrationPackage,
  counts: Record<AssetType, number> = emptyAssetCounts(),
): PackageDto {
  return {
    ...auditedView(pkg),
    name: pkg.name,
    description: pkg.description,
    tags: pkg.tags,
    owner: pkg.owner,
    assetCounts: counts,
    totalAssets: Object.values(counts).reduce((sum, n) => sum + n, 0),
    deletedAt: pkg.deletedAt?.toISOString() ?? null,
  };
}
