import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { createAssetStateController } from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { PackageSchema } from './entities/package-schema.entity';
import { SavedSchemas } from './saved-schemas';
import { SchemaEngine } from './schema-engine';
import { SchemaLibraryService } from './schema-library.service';
import { SchemaVersionCache } from './schema-version-cache';
import { SchemaController } from './schema.controller';

/**
 * The schema library: XSD, WSDL and JSON Schema assets with bundles, versions, diffs,
 * dependency rows and payload validation (one SchemaEngine per process).
 */
@Module({
  imports: [TypeOrmModule.forFeature([PackageSchema]), AssetModule],
  controllers: [SchemaController, createAssetStateController('SCHEMA')],
  providers: [
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
  exports: [SchemaLibraryService],
})
export class SchemaModule {}
