import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { ValidationError } from '../core/errors/app-error';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { CurrentPrincipal, visibilityOf, type Principal } from '../identity/principal';
import { CreateEnvironmentDto, EnvironmentDto, UpdateEnvironmentDto } from './environment.dto';
import { EnvironmentService } from './environment.service';

/** The `:code` path parameter: an environment code (400 naming it otherwise). */
const CodeParam = (): ParameterDecorator =>
  Param('code', {
    transform: (value: string) => {
      if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(value))
        throw ValidationError.of('code', 'must be an environment code such as DEV or PROD');
      return value;
    },
  });

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

  @Patch(':code')
  @RequirePermission('environment:manage')
  @ApiOperation({
    operationId: 'updateEnvironment',
    summary: 'Rename an environment or set its protected flag (administrators; audited)',
  })
  @ApiParam({ name: 'code', example: 'UAT' })
  @ApiOkResponse({ type: EnvironmentDto })
  @ApiProblems(400, 404)
  update(@CodeParam() code: string, @Body() dto: UpdateEnvironmentDto): Promise<EnvironmentDto> {
    return this.environments.update(code, dto);
  }

  @Delete(':code')
  @HttpCode(204)
  @RequirePermission('environment:manage')
  @ApiOperation({
    operationId: 'deleteEnvironment',
    summary:
      'Delete an environment no adapter uses (administrators; audited). 409 while protected, ' +
      'the last one, or in use, naming the adapters the caller can read',
  })
  @ApiParam({ name: 'code', example: 'UAT' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  async delete(@CurrentPrincipal() principal: Principal, @CodeParam() code: string): Promise<void> {
    await this.environments.delete(code, visibilityOf(principal));
  }
}
