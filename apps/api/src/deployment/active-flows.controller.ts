import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { DeploymentStates } from './deployment-states.service';
import { ActiveFlowListDto } from './dto/deployment.dto';

/** What is deployed where in a package (the package container's view of its deployments). */
@ApiTags('Deployments')
@Controller('packages/:id/container/flows')
export class ActiveFlowsController {
  constructor(private readonly states: DeploymentStates) {}

  @Get('active')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'listActiveFlows',
    summary: "The package's flows that are deployed (DEPLOYED or SUSPENDED), per environment",
  })
  @ApiOkResponse({ type: ActiveFlowListDto })
  @ApiProblems(400, 404)
  async active(@UuidParam('id') packageId: string): Promise<ActiveFlowListDto> {
    return { items: await this.states.active(packageId) };
  }
}
