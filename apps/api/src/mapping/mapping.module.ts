import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { createAssetControllers } from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { PackageMapping } from './entities/package-mapping.entity';
import { MappingAssetHandler } from './mapping-asset.handler';

/** Mappings: the generic asset endpoints for type MAPPING (specialised by the mapping issue). */
@Module({
  imports: [TypeOrmModule.forFeature([PackageMapping]), AssetModule],
  controllers: createAssetControllers('MAPPING'),
  providers: [MappingAssetHandler],
})
export class MappingModule {}
