import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AssetQueryService } from './asset-query.service';
import { AssetService } from './asset.service';
import { AssetsController } from './assets.controller';
import { AssetVersion } from './entities/asset-version.entity';
import { PackageAsset } from './entities/package-asset.entity';

/** The generic asset registry every asset type shares (package_assets + asset_versions). */
@Module({
  imports: [TypeOrmModule.forFeature([PackageAsset, AssetVersion])],
  controllers: [AssetsController],
  providers: [AssetService, AssetQueryService],
  exports: [AssetService, AssetQueryService],
})
export class AssetModule {}
