import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AssetQueryService } from './asset-query.service';
import { AssetTypeRegistry } from './asset-type-handler';
import { AssetService } from './asset.service';
import { AssetsController } from './assets.controller';
import { AssetVersion } from './entities/asset-version.entity';
import { PackageAsset } from './entities/package-asset.entity';
import { PackageAssetsService } from './package-assets.service';

/**
 * The generic asset registry every asset type shares (package_assets + asset_versions), and the
 * AssetTypeRegistry the type modules register their handlers into.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PackageAsset, AssetVersion])],
  controllers: [AssetsController],
  providers: [AssetService, AssetQueryService, AssetTypeRegistry, PackageAssetsService],
  exports: [AssetService, AssetQueryService, AssetTypeRegistry, PackageAssetsService],
})
export class AssetModule {}
