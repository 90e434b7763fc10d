import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { AlertRulesService } from './alert-rules.service';
import { DeploymentHealthService } from './deployment-health.service';
import {
  AlertListDto,
  AlertListQueryDto,
  AlertRuleDto,
  AlertRuleListDto,
  CreateAlertRuleDto,
  DeploymentHealthDto,
  UpdateAlertRuleDto,
} from './dto/alert-rule.dto';

const CHANNELS =
  "Delivered by webhook (a JSON POST, through the outbound target policy) and/or e-mail through an EMAIL adapter of the package (its SMTP settings in the rule's environment). An alert is sent once when it starts firing and once when it resolves.";

/** Runtime alert rules of a package, the alerts they raised, and deployments' health checks. */
@ApiTags('Runtime monitoring')
@Controller('packages/:id')
export class AlertRulesController {
  constructor(
    private readonly rules: AlertRulesService,
    private readonly health: DeploymentHealthService,
  ) {}

  @Get('alert-rules')
  @RequirePermission('alert:read')
  @ApiOperation({ operationId: 'listAlertRules', summary: "The package's runtime alert rules" })
  @ApiOkResponse({ type: AlertRuleListDto })
  async list(@UuidParam('id') packageId: string): Promise<AlertRuleListDto> {
    return { items: await this.rules.list(packageId) };
  }

  @Post('alert-rules')
  @RequirePermission('alert:manage')
  @ApiOperation({
    operationId: 'createAlertRule',
    summary: 'Add an alert rule (administrators and integrators; audited)',
    description: CHANNELS,
  })
  @ApiCreatedResponse({ type: AlertRuleDto })
  @ApiProblems(400, 404)
  create(
    @UuidParam('id') packageId: string,
    @Body() dto: CreateAlertRuleDto,
  ): Promise<AlertRuleDto> {
    return this.rules.create(packageId, dto);
  }

  @Get('alert-rules/:ruleId')
  @RequirePermission('alert:read')
  @ApiOperation({ operationId: 'getAlertRule', summary: 'One alert rule' })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiProblems(404)
  get(
    @UuidParam('id') packageId: string,
    @UuidParam('ruleId') ruleId: string,
  ): Promise<AlertRuleDto> {
    return this.rules.get(packageId, ruleId);
  }

  @Patch('alert-rules/:ruleId')
  @RequirePermission('alert:manage')
  @ApiOperation({
    operationId: 'updateAlertRule',
    summary: 'Change an alert rule (administrators and integrators; audited)',
    description: `${CHANNELS} \`null\` removes the flow (every flow), the webhook or the EMAIL adapter.`,
  })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiProblems(400, 404)
  update(
    @UuidParam('id') packageId: string,
    @UuidParam('ruleId') ruleId: string,
    @Body() dto: UpdateAlertRuleDto,
  ): Promise<AlertRuleDto> {
    return this.rules.update(packageId, ruleId, dto);
  }

  @Delete('alert-rules/:ruleId')
  @HttpCode(204)
  @RequirePermission('alert:manage')
  @ApiOperation({
    operationId: 'deleteAlertRule',
    summary: 'Delete an alert rule and its alerts (administrators and integrators; audited)',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(404)
  async delete(
    @UuidParam('id') packageId: string,
    @UuidParam('ruleId') ruleId: string,
  ): Promise<void> {
    await this.rules.delete(packageId, ruleId);
  }

  @Get('alerts')
  @RequirePermission('alert:read')
  @ApiOperation({
    operationId: 'listAlerts',
    summary: "The package's alerts, newest first (FIRING until their condition clears)",
  })
  @ApiOkResponse({ type: AlertListDto })
  @ApiProblems(400)
  async alerts(
    @UuidParam('id') packageId: string,
    @Query() query: AlertListQueryDto,
  ): Promise<AlertListDto> {
    return { items: await this.rules.alerts(packageId, query) };
  }

  @Get('flows/:flowId/deployments/:deploymentId/health')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getDeploymentHealth',
    summary: "A deployment's post-deployment health check",
    description:
      'After a deployment becomes DEPLOYED its first RUNTIME_HEALTH_CHECK_MESSAGES messages (or RUNTIME_HEALTH_CHECK_MINUTES) are watched: HEALTHY, or FAILING when more than RUNTIME_HEALTH_CHECK_ERROR_RATE % of them failed their first attempt. A HEALTH_CHECK alert rule fires on FAILING. With RUNTIME_HEALTH_AUTO_ROLLBACK=on a FAILING deployment that is still active is rolled back to the one it replaced (`rolledBackTo`), except in a protected environment.',
  })
  @ApiOkResponse({ type: DeploymentHealthDto })
  @ApiProblems(404)
  deploymentHealth(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @UuidParam('deploymentId') deploymentId: string,
  ): Promise<DeploymentHealthDto> {
    return this.health.get(packageId, flowId, deploymentId);
  }
}
