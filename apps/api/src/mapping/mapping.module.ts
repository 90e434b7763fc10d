import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import {
  createAssetController,
  createAssetStateController,
} from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { DependencyModule } from '../dependency/dependency.module';
import { SchemaModule } from '../schema/schema.module';
import { PackageMapping } from './entities/package-mapping.entity';
import { MappingAssetHandler } from './mapping-asset.handler';
import { MAPPING_ROUTES } from './mapping-routes';
import { MappingRuns } from './mapping-runs';
import { MappingSampleRecheck } from './mapping-sample-recheck';
import { MappingSamplesController } from './mapping-samples.controller';
import { MappingSamples } from './mapping-samples.service';
import { MappingSchemas } from './mapping-schemas';
import { MappingTester } from './mapping-tester';
import { MappingController } from './mapping.controller';
import { MappingService } from './mapping.service';

/**
 * Mappings (issue 11): JSONata rules or XSLT stylesheets between library schemas, compiled on
 * save (@integrixs/mapping-engine), their schemas as dependency edges, completeness, named
 * samples and sample tests run in worker threads under time and memory limits; impact analysis
 * re-runs the samples against a proposed schema version (MappingSampleRecheck).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([PackageMapping]),
    AssetModule,
    DependencyModule,
    SchemaModule,
  ],
  controllers: [
    createAssetController('MAPPING', MAPPING_ROUTES),
    MappingController,
    MappingSamplesController,
    createAssetStateController('MAPPING'),
  ],
  providers: [
    MappingAssetHandler,
    MappingSchemas,
    MappingRuns,
    MappingService,
    MappingSamples,
    MappingTester,
    MappingSampleRecheck,
  ],
  exports: [MappingService, MappingTester],
})
export class MappingModule {}
