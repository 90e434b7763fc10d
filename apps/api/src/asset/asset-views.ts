import { auditedView } from '../core/http/audited.dto';
import { type AssetDetailDto, type AssetDto } from './dto/asset.dto';
import { type AssetVersion } from './entities/asset-version.entity';
import { type PackageAsset } from './entities/package-asset.entity';

export function toAssetView(asset: PackageAsset): AssetDto {
  return {
    ...auditedView(asset),
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

export function toAssetDetail(asset: PackageAsset, version: AssetVersion): AssetDetailDto {
  return {
    ...toAssetView(asset),
    content: version.content,
    contentHash: version.contentHash,
    versionMessage: version.message,
  };
}
