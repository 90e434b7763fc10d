import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DependencyService } from './dependency.service';
import { PackageAssetDependency } from './entities/package-asset-dependency.entity';

/**
 * The asset graph (package_asset_dependencies). Edges are derived by the asset type handlers on
 * save, through the DependencyService, which also answers dependents, dependencies and impact.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PackageAssetDependency])],
  providers: [DependencyService],
  exports: [DependencyService],
})
export class DependencyModule {}
