import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { createAssetController } from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { PackageAdapter } from './entities/package-adapter.entity';

/** Adapters: the generic asset endpoints for type ADAPTER (specialised by the adapter issue). */
@Module({
  imports: [TypeOrmModule.forFeature([PackageAdapter]), AssetModule],
  controllers: [createAssetController('ADAPTER')],
})
export class AdapterModule {}
