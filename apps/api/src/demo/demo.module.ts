import { Module } from '@nestjs/common';

import { AdapterModule } from '../adapter/adapter.module';
import { AssetModule } from '../asset/asset.module';
import { DeploymentModule } from '../deployment/deployment.module';
import { FlowModule } from '../flow/flow.module';
import { IdentityModule } from '../identity/identity.module';
import { MappingModule } from '../mapping/mapping.module';
import { PackageMetadataModule } from '../package-metadata/package-metadata.module';
import { SchemaModule } from '../schema/schema.module';
import { DemoFlow } from './demo-flow';
import { DemoReceiverController } from './demo-receiver.controller';
import { DemoSeeder } from './demo-seeder';

/** Demo data for a first start (INTEGRIXS_SEED_DEMO, on by default). */
@Module({
  imports: [
    PackageMetadataModule,
    SchemaModule,
    IdentityModule,
    MappingModule,
    AssetModule,
    AdapterModule,
    FlowModule,
    DeploymentModule,
  ],
  controllers: [DemoReceiverController],
  providers: [DemoFlow, DemoSeeder],
})
export class DemoModule {}
