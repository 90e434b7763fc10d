import { Module } from '@nestjs/common';

import { IdentityModule } from '../identity/identity.module';
import { MappingModule } from '../mapping/mapping.module';
import { PackageMetadataModule } from '../package-metadata/package-metadata.module';
import { SchemaModule } from '../schema/schema.module';
import { DemoSeeder } from './demo-seeder';

/** Demo data for a first start (INTEGRIXS_SEED_DEMO, on by default). */
@Module({
  imports: [PackageMetadataModule, SchemaModule, IdentityModule, MappingModule],
  providers: [DemoSeeder],
})
export class DemoModule {}
