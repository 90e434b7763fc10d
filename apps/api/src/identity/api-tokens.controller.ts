import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
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
import { ApiTokensService } from './api-tokens.service';
import { ApiTokenListDto, CreateApiTokenDto, CreatedApiTokenDto } from './dto/api-token.dto';
import { CurrentPrincipal, type Principal } from './principal';

@ApiTags('API tokens')
@Controller('tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get()
  @RequirePermission('token:manage')
  @ApiOperation({
    operationId: 'listApiTokens',
    summary: 'Your API tokens (never the tokens themselves)',
  })
  @ApiOkResponse({ type: ApiTokenListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<ApiTokenListDto> {
    return { items: await this.tokens.list(principal) };
  }

  @Post()
  @RequirePermission('token:manage')
  @ApiOperation({
    operationId: 'createApiToken',
    summary: 'Create an API token for a CI pipeline; the token is shown once',
  })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiProblems(400, 409)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenDto> {
    return this.tokens.create(principal, dto);
  }

  @Delete(':tokenId')
  @RequirePermission('token:manage')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiToken', summary: 'Revoke one of your API tokens' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  @ApiProblems(400, 404)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('tokenId') id: string,
  ): Promise<void> {
    await this.tokens.revoke(principal, id);
  }
}
