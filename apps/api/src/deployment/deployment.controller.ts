import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { NotFoundError } from '../core/errors/app-error';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import {
  CurrentPackageAccess,
  CurrentPrincipal,
  type PackageAccess,
  type Principal,
} from '../identity/principal';
import {
  DEPLOYMENT_ACTIONS,
  DeploymentStates,
  type DeploymentAction,
} from './deployment-states.service';
import { DeploymentsService, type Deployer } from './deployments.service';
import {
  DeployFlowDto,
  DeploymentDto,
  DeploymentListDto,
  DriftDto,
  DriftQueryDto,
  HistoryQueryDto,
  PromoteDeploymentDto,
} from './dto/deployment.dto';

const GATE =
  'The readiness gate runs for the target environment first (409 `flow_not_ready` with the failing `items`). Only a READY flow, or a flow version deployed before, can be deployed; an ARCHIVED flow never (409). A protected environment (PROD) needs an INTEGRATOR or ADMINISTRATOR of the package with a recent MFA step-up (401 `mfa_required`, 403 for other roles).';

/** Deployments of a flow per environment: deploy, history, rollback, promote, state, drift. */
@ApiTags('Deployments')
@Controller('packages/:id/flows/:flowId/deployments')
export class DeploymentController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly states: DeploymentStates,
  ) {}

  @Post()
  @RequirePermission('flow:deploy')
  @ApiOperation({
    operationId: 'deployFlow',
    summary: "Deploy a flow to an environment, pinning every asset's exact version",
    description: `Writes an immutable deployment (the flow's lock file: the flow version and, transitively, the adapters, mappings and schemas it uses) and makes it the active one in the environment; the one it replaces becomes UNDEPLOYED. With \`pins\` it is a partial rollback: those assets at those versions, the rest as the environment's active deployment pins them. ${GATE} Audited and NOTIFYed on \`integrixs_deployments\`.`,
  })
  @ApiCreatedResponse({ type: DeploymentDto })
  @ApiProblems(400, 403, 404, 409)
  deploy(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @Body() dto: DeployFlowDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentPackageAccess() access: PackageAccess,
  ): Promise<DeploymentDto> {
    return this.deployments.deploy(packageId, flowId, dto.environment, dto.pins, {
      principal,
      packageRole: access.role,
    });
  }

  @Get()
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'listDeployments',
    summary: "A flow's deployment history: who, when, where, the pinned versions, which is active",
  })
  @ApiOkResponse({ type: DeploymentListDto })
  @ApiProblems(400, 404)
  async list(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @Query() query: HistoryQueryDto,
  ): Promise<DeploymentListDto> {
    return this.deployments.list(packageId, flowId, query);
  }

  @Get('drift')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'deploymentDrift',
    summary: 'What differs between the active deployments of two environments',
    description:
      'Each asset whose pinned versions differ (or that only one side pins). `inSync` when both environments have an active deployment with the same pin set.',
  })
  @ApiOkResponse({ type: DriftDto })
  @ApiProblems(400, 404)
  drift(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @Query() query: DriftQueryDto,
  ): Promise<DriftDto> {
    return this.states.drift(packageId, flowId, query.from, query.to);
  }

  @Get(':deploymentId')
  @RequirePermission('asset:read')
  @ApiOperation({ operationId: 'getDeployment', summary: 'One deployment with its pin set' })
  @ApiOkResponse({ type: DeploymentDto })
  @ApiProblems(400, 404)
  get(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @UuidParam('deploymentId') deploymentId: string,
  ): Promise<DeploymentDto> {
    return this.deployments.get(packageId, flowId, deploymentId);
  }

  @Post(':deploymentId/rollback')
  @HttpCode(200)
  @RequirePermission('flow:deploy')
  @ApiOperation({
    operationId: 'rollbackDeployment',
    summary: 'Quick rollback: make an earlier deployment the active one of its environment again',
    description:
      'Its exact pin set passed the gate when it was written, so it is not checked again (the caller must still be allowed to deploy there). 409 when it is already active or the flow is ARCHIVED. Audited as ROLLED_BACK.',
  })
  @ApiOkResponse({ type: DeploymentDto })
  @ApiProblems(400, 403, 404, 409)
  rollback(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @UuidParam('deploymentId') deploymentId: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentPackageAccess() access: PackageAccess,
  ): Promise<DeploymentDto> {
    return this.deployments.rollback(packageId, flowId, deploymentId, who(principal, access));
  }

  @Post(':deploymentId/promote')
  @RequirePermission('flow:deploy')
  @ApiOperation({
    operationId: 'promoteDeployment',
    summary: 'Deploy the same pin set to another environment (DEV → TEST → PROD)',
    description: GATE,
  })
  @ApiCreatedResponse({ type: DeploymentDto })
  @ApiProblems(400, 403, 404, 409)
  promote(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @UuidParam('deploymentId') deploymentId: string,
    @Body() dto: PromoteDeploymentDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentPackageAccess() access: PackageAccess,
  ): Promise<DeploymentDto> {
    return this.deployments.promote(
      packageId,
      flowId,
      deploymentId,
      dto.to,
      who(principal, access),
    );
  }

  @Post(':deploymentId/:action')
  @HttpCode(200)
  @RequirePermission('flow:deploy')
  @ApiParam({ name: 'action', enum: Object.keys(DEPLOYMENT_ACTIONS) })
  @ApiOperation({
    operationId: 'changeDeploymentState',
    summary: 'Suspend, resume or undeploy a deployment in its environment',
    description:
      'suspend: DEPLOYED → SUSPENDED; resume: SUSPENDED → DEPLOYED; undeploy: DEPLOYED or SUSPENDED → UNDEPLOYED (the table DEPLOYMENT_TRANSITIONS of @integrixs/domain). Another move is 409 `illegal_transition` with `allowed`. Audited and NOTIFYed.',
  })
  @ApiOkResponse({ type: DeploymentDto })
  @ApiProblems(400, 403, 404, 409)
  move(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @UuidParam('deploymentId') deploymentId: string,
    @Param('action') action: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentPackageAccess() access: PackageAccess,
  ): Promise<DeploymentDto> {
    return this.states.move(
      packageId,
      flowId,
      deploymentId,
      checkedAction(action),
      who(principal, access),
    );
  }
}

function who(principal: Principal, access: PackageAccess): Deployer {
  return { principal, packageRole: access.role };
}

function checkedAction(action: string): DeploymentAction {
  if (Object.hasOwn(DEPLOYMENT_ACTIONS, action)) return action as DeploymentAction;
  throw new NotFoundError('Deployment action', action);
}
