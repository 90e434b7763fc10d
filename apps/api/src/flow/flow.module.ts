import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { createAssetControllers } from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { PackageFlow } from './entities/package-flow.entity';
import { FlowAssetHandler } from './flow-asset.handler';

/** Flows: the generic asset endpoints for type FLOW (specialised by the flow issue). */
@Module({
  imports: [TypeOrmModule.forFeature([PackageFlow]), AssetModule],
  controllers: createAssetControllers('FLOW'),
  providers: [FlowAssetHandler],
})
export class FlowModule {}
