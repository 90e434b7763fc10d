import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { DependencyGraphService } from './dependency-graph.service';
import { DependencyController } from './dependency.controller';
import { DependencyService } from './dependency.service';
import { PackageAssetDependency } from './entities/package-asset-dependency.entity';
import { ImpactExtensions } from './impact-extensions';
import { ImpactService } from './impact.service';

/**
 * The asset graph (package_asset_dependencies). Edges are derived by the asset type handlers on
 * save, through the DependencyService, which also answers dependents, dependencies and impact.
 * The routes (DependencyController) read it; asset types plug their part of impact analysis in
 * through ImpactExtensions (schemas: the compatibility verdict).
 */
@Module({
  imports: [TypeOrmModule.forFeature([PackageAssetDependency])],
  controllers: [DependencyController],
  providers: [DependencyService, DependencyGraphService, ImpactService, ImpactExtensions],
  exports: [DependencyService, ImpactExtensions],
})
export class DependencyModule {}
