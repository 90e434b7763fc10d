import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { createAssetControllers } from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { AdapterAssetHandler } from './adapter-asset.handler';
import { PackageAdapter } from './entities/package-adapter.entity';

/** Adapters: the generic asset endpoints for type ADAPTER (specialised by the adapter issue). */
@Module({
  imports: [TypeOrmModule.forFeature([PackageAdapter]), AssetModule],
  controllers: createAssetControllers('ADAPTER'),
  providers: [AdapterAssetHandler],
})
export class AdapterModule {}
