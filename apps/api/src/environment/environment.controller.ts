import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { CreateEnvironmentDto, EnvironmentDto } from './environment.dto';
import { EnvironmentService } from './environment.service';

@ApiTags('Environments')
@Controller('environments')
export class EnvironmentController {
  constructor(private readonly environments: EnvironmentService) {}

  @Get()
  @RequirePermission('environment:read')
  @ApiOperation({ operationId: 'listEnvironments', summary: 'The deployment environments' })
  @ApiOkResponse({ type: [EnvironmentDto] })
  list(): Promise<EnvironmentDto[]> {
    return this.environments.list();
  }

  @Post()
  @RequirePermission('environment:manage')
  @ApiOperation({
    operationId: 'createEnvironment',
    summary: 'Add an environment (administrators)',
  })
  @ApiCreatedResponse({ type: EnvironmentDto })
  @ApiProblems(400, 409)
  create(@Body() dto: CreateEnvironmentDto): Promise<EnvironmentDto> {
    return this.environments.create(dto);
  }
}
