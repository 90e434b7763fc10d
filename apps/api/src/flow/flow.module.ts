import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import {
  createAssetController,
  createAssetStateController,
} from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { DependencyModule } from '../dependency/dependency.module';
import { PackageFlow } from './entities/package-flow.entity';
import { FlowAssetHandler } from './flow-asset.handler';
import { FlowReferences } from './flow-references';
import { FLOW_ROUTES } from './flow-routes';
import { FlowTransitions } from './flow-transitions.service';
import { FlowValidator } from './flow-validator';
import { FlowController } from './flow.controller';
import { GraphReadinessChecker, READINESS_CHECKER } from './readiness-checker';

/**
 * Flows (issue 12): a versioned graph of steps over library assets, validated on save, its
 * references as dependency edges, and the lifecycle DRAFT → READY → ARCHIVED behind a
 * readiness gate (READINESS_CHECKER; graph validation until the readiness slice).
 */
@Module({
  imports: [TypeOrmModule.forFeature([PackageFlow]), AssetModule, DependencyModule],
  controllers: [
    createAssetController('FLOW', FLOW_ROUTES),
    FlowController,
    createAssetStateController('FLOW'),
  ],
  providers: [
    FlowAssetHandler,
    FlowReferences,
    FlowValidator,
    FlowTransitions,
    { provide: READINESS_CHECKER, useClass: GraphReadinessChecker },
  ],
})
export class FlowModule {}
