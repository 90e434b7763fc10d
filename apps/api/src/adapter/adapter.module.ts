import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import {
  createAssetController,
  createAssetStateController,
} from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { DependencyModule } from '../dependency/dependency.module';
import { EnvironmentModule } from '../environment/environment.module';
import { SchemaModule } from '../schema/schema.module';
import { AdapterAssetHandler } from './adapter-asset.handler';
import { AdapterBindings } from './adapter-bindings';
import {
  AdapterEnvironmentReset,
  AdapterEnvironmentResetController,
} from './adapter-environment-reset';
import { AdapterEnvironmentsController } from './adapter-environments.controller';
import { AdapterEnvironmentsService } from './adapter-environments.service';
import { AdapterOverviewController } from './adapter-overview.controller';
import { AdapterOverviewService } from './adapter-overview.service';
import { ADAPTER_ROUTES } from './adapter-routes';
import { AdapterSecrets } from './adapter-secrets';
import { PackageAdapter } from './entities/package-adapter.entity';

/**
 * Adapters (issue 10): typed configuration validated by JSON Schema, sealed secrets, schema
 * bindings as dependency edges, overlays and credentials per environment, promotion and real
 * connection tests (@integrixs/adapters).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([PackageAdapter]),
    AssetModule,
    DependencyModule,
    EnvironmentModule,
    SchemaModule,
  ],
  controllers: [
    AdapterOverviewController,
    createAssetController('ADAPTER', ADAPTER_ROUTES),
    AdapterEnvironmentsController,
    AdapterEnvironmentResetController,
    createAssetStateController('ADAPTER'),
  ],
  providers: [
    AdapterOverviewService,
    AdapterAssetHandler,
    AdapterSecrets,
    AdapterBindings,
    AdapterEnvironmentsService,
    AdapterEnvironmentReset,
  ],
  exports: [AdapterEnvironmentsService],
})
export class AdapterModule {}
