import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { SchemaEngine } from '@integrixs/schema-engine';

import {
  createAssetController,
  createAssetStateController,
} from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { DependencyModule } from '../dependency/dependency.module';
import { PackageSchema } from './entities/package-schema.entity';
import { SavedSchemas } from './saved-schemas';
import { SchemaAssetHandler } from './schema-asset.handler';
import { SchemaImpact } from './schema-impact';
import { SchemaLibraryService } from './schema-library.service';
import { SchemaVersionCache } from './schema-version-cache';
import { SCHEMA_ROUTES, SchemaController } from './schema.controller';

/**
 * The schema library: XSD, WSDL and JSON Schema assets with bundles, versions, diffs,
 * dependency rows and payload validation (one SchemaEngine per process). Its handler
 * (SchemaAssetHandler) plugs schemas into the generic asset routes and service.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PackageSchema]), AssetModule, DependencyModule],
  controllers: [
    createAssetController('SCHEMA', SCHEMA_ROUTES),
    SchemaController,
    createAssetStateController('SCHEMA'),
  ],
  providers: [
    SchemaAssetHandler,
    SchemaImpact,
    SchemaLibraryService,
    SchemaVersionCache,
    SavedSchemas,
    {
      provide: SchemaEngine,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new SchemaEngine({
          pool: {
            workers: config.schemaWorkers,
            validateTimeoutMs: config.schemaValidationTimeoutMs,
          },
          cache: { maxBytes: config.schemaCacheBytes },
          xml: { maxBytes: config.schemaMaxBytes, maxDepth: config.schemaMaxDepth },
          json: { maxBytes: config.schemaMaxBytes, maxDepth: config.schemaMaxDepth * 2 },
          payload: {
            xml: { maxBytes: config.bodyLimitBytes, maxDepth: config.schemaMaxDepth },
            json: { maxBytes: config.bodyLimitBytes, maxDepth: config.schemaMaxDepth * 2 },
          },
        }),
    },
  ],
  // The engine and saved-schema reads also serve mappings (structures, payload validation).
  exports: [SchemaLibraryService, SchemaEngine, SavedSchemas],
})
export class SchemaModule {}
