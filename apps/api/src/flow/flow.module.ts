import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { createAssetController } from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { PackageFlow } from './entities/package-flow.entity';

/** Flows: the generic asset endpoints for type FLOW (specialised by the flow issue). */
@Module({
  imports: [TypeOrmModule.forFeature([PackageFlow]), AssetModule],
  controllers: [createAssetController('FLOW')],
})
export class FlowModule {}
