import { Module } from '@nestjs/common';

import { AssetModule } from '../asset/asset.module';
import { IdentityModule } from '../identity/identity.module';
import { PackageMetadataModule } from '../package-metadata/package-metadata.module';
import { DemoSeeder } from './demo-seeder';

/** Demo data for a first start (INTEGRIXS_SEED_DEMO, on by default). */
@Module({
  imports: [PackageMetadataModule, AssetModule, IdentityModule],
  providers: [DemoSeeder],
})
export class DemoModule {}
