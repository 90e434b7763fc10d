import { Module } from '@nestjs/common';

import { DependencyModule } from '../dependency/dependency.module';
import { FlowModule } from '../flow/flow.module';
import { ActiveFlowsController } from './active-flows.controller';
import { DeploymentGate } from './deployment-gate';
import { DeploymentImpact } from './deployment-impact';
import { DeploymentStates } from './deployment-states.service';
import { DeploymentController } from './deployment.controller';
import { DeploymentsService } from './deployments.service';

/**
 * Deployments (issue 12): immutable, pinned deployments of flows per environment, their
 * per-environment states (DEPLOYED ⇄ SUSPENDED → UNDEPLOYED), quick and partial rollback,
 * promotion and drift; every event audited and NOTIFYed on `integrixs_deployments`.
 */
@Module({
  imports: [DependencyModule, FlowModule],
  controllers: [DeploymentController, ActiveFlowsController],
  providers: [DeploymentGate, DeploymentImpact, DeploymentsService, DeploymentStates],
  // The demo seeder deploys its flow through the same service.
  exports: [DeploymentsService],
})
export class DeploymentModule {}
