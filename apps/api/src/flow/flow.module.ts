import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AdapterModule } from '../adapter/adapter.module';
import {
  createAssetController,
  createAssetStateController,
} from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { DependencyModule } from '../dependency/dependency.module';
import { EnvironmentModule } from '../environment/environment.module';
import { MappingModule } from '../mapping/mapping.module';
import { PackageFlow } from './entities/package-flow.entity';
import { FlowAssetHandler } from './flow-asset.handler';
import { FlowDeploymentLookup } from './flow-deployment-lookup';
import { FlowReferences } from './flow-references';
import { FLOW_ROUTES } from './flow-routes';
import { FlowTransitions } from './flow-transitions.service';
import { FlowValidator } from './flow-validator';
import { FlowController } from './flow.controller';
import { GraphReadinessChecker, READINESS_CHECKER } from './readiness-checker';
import { ReadyGate } from './readiness-gate';
import { ReadinessController } from './readiness.controller';
import { ReadinessService } from './readiness.service';

/**
 * Flows (issue 12): a versioned graph of steps over library assets, validated on save, its
 * references as dependency edges, and the lifecycle DRAFT → READY → ARCHIVED behind a
 * readiness gate (ReadinessService: the per-environment checklist, exported for deployments).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([PackageFlow]),
    AssetModule,
    DependencyModule,
    AdapterModule,
    EnvironmentModule,
    MappingModule,
  ],
  controllers: [
    createAssetController('FLOW', FLOW_ROUTES),
    FlowController,
    ReadinessController,
    createAssetStateController('FLOW'),
  ],
  providers: [
    FlowAssetHandler,
    FlowReferences,
    FlowValidator,
    FlowTransitions,
    { provide: READINESS_CHECKER, useClass: GraphReadinessChecker },
    FlowDeploymentLookup,
    ReadinessService,
    ReadyGate,
  ],
  // The deployments module (above flow/) gates deploys and registers where flows are deployed.
  exports: [
    READINESS_CHECKER,
    FlowDeploymentLookup,
    FlowValidator,
    ReadinessService,
    FlowTransitions,
  ],
})
export class FlowModule {}
