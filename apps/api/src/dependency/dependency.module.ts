import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { PackageAssetDependency } from './entities/package-asset-dependency.entity';

/** The asset graph (package_asset_dependencies). Edges are derived by the asset modules on save. */
@Module({
  imports: [TypeOrmModule.forFeature([PackageAssetDependency])],
})
export class DependencyModule {}
