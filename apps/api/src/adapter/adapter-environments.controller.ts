import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';

import { ValidationError } from '../core/errors/app-error';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { AdapterEnvironmentsService } from './adapter-environments.service';
import { NDJSON, STREAMING_DOC, streamTest, wantsNdjson } from './connection-test-stream';
import {
  CredentialsDto,
  ENVIRONMENT_CODE,
  EnvironmentQueryDto,
  PromotionQueryDto,
  PutOverlayDto,
  SendTestToDto,
} from './dto/adapter-environment-input.dto';
import {
  ConnectionTestResultDto,
  EffectiveConfigDto,
  LastConnectionTestDto,
  OverlayDto,
  PromotionPreviewDto,
} from './dto/adapter-views.dto';

/** The `:env` path parameter: an environment code (400 naming it otherwise). */
const EnvParam = (): ParameterDecorator =>
  Param('env', {
    transform: (value: string) => {
      if (!ENVIRONMENT_CODE.test(value))
        throw ValidationError.of('env', 'must be an environment code such as DEV or PROD');
      return value;
    },
  });

/** An adapter per environment: overlays, credentials, effective configuration, promotion, tests. */
@ApiTags('Adapters')
@Controller('packages/:id/adapters/:adapterId')
export class AdapterEnvironmentsController {
  constructor(private readonly service: AdapterEnvironmentsService) {}

  @Get('environments/:env')
  @RequirePermission('asset:read')
  @ApiOperation({ operationId: 'getAdapterOverlay', summary: "An environment's overlay values" })
  @ApiParam({ name: 'env', example: 'PROD' })
  @ApiOkResponse({ type: OverlayDto })
  @ApiProblems(400, 404)
  getOverlay(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @EnvParam() env: string,
  ): Promise<OverlayDto> {
    return this.service.getOverlay(packageId, adapterId, env);
  }

  @Put('environments/:env')
  @RequirePermission('adapter:configure')
  @ApiOperation({
    operationId: 'putAdapterOverlay',
    summary: 'Set the values merged over the base configuration in one environment (audited)',
  })
  @ApiParam({ name: 'env', example: 'PROD' })
  @ApiOkResponse({ type: OverlayDto })
  @ApiProblems(400, 404, 422)
  putOverlay(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @Body() dto: PutOverlayDto,
    @EnvParam() env: string,
  ): Promise<OverlayDto> {
    return this.service.putOverlay(packageId, adapterId, env, dto.values);
  }

  @Post('credentials')
  @HttpCode(200)
  @RequirePermission('credential:reveal')
  @ApiOperation({
    operationId: 'setAdapterCredentials',
    summary: 'Set or rotate secrets in one environment (step-up MFA; audited without values)',
  })
  @ApiOkResponse({ type: EffectiveConfigDto })
  @ApiProblems(400, 404, 422)
  credentials(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @Body() dto: CredentialsDto,
  ): Promise<EffectiveConfigDto> {
    return this.service.setCredentials(packageId, adapterId, dto.environment, dto.secrets);
  }

  @Get('effective-config')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getAdapterEffectiveConfig',
    summary: 'The configuration in an environment (secrets masked) and what is missing there',
  })
  @ApiOkResponse({ type: EffectiveConfigDto })
  @ApiProblems(400, 404)
  effective(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @Query() query: EnvironmentQueryDto,
  ): Promise<EffectiveConfigDto> {
    return this.service.effective(packageId, adapterId, query.environment);
  }

  @Get('promotion')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'previewAdapterPromotion',
    summary: 'Overlay differences between two environments, and secrets to enter in the target',
  })
  @ApiOkResponse({ type: PromotionPreviewDto })
  @ApiProblems(400, 404)
  promotion(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @Query() query: PromotionQueryDto,
  ): Promise<PromotionPreviewDto> {
    return this.service.promotion(packageId, adapterId, query.from, query.to);
  }

  @Post('promote')
  @HttpCode(200)
  @RequirePermission('adapter:configure')
  @ApiOperation({
    operationId: 'promoteAdapter',
    summary: 'Copy the non-secret overlay values from one environment to another (audited)',
  })
  @ApiOkResponse({ type: PromotionPreviewDto })
  @ApiProblems(400, 404)
  promote(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @Query() query: PromotionQueryDto,
  ): Promise<PromotionPreviewDto> {
    return this.service.promote(packageId, adapterId, query.from, query.to);
  }

  @Post('test')
  @HttpCode(200)
  @RequirePermission('adapter:configure')
  @ApiOperation({
    operationId: 'testAdapterConnection',
    summary: 'Really connect in an environment: ordered steps with status, duration and why',
  })
  @ApiProduces('application/json', NDJSON)
  @ApiOkResponse({ type: ConnectionTestResultDto, description: STREAMING_DOC })
  @ApiProblems(400, 404, 422)
  async test(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @Query() query: EnvironmentQueryDto,
    @Body() body: SendTestToDto,
    @Headers('accept') accept: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<ConnectionTestResultDto | StreamableFile> {
    const run = await this.service.prepareTest(packageId, adapterId, query.environment, {
      sendTestTo: body?.sendTestTo,
      callWith: body?.callWith,
    });
    return wantsNdjson(accept) ? streamTest(run, request) : run();
  }

  @Get('test')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getAdapterConnectionTest',
    summary: 'The last connection test in an environment (when, by whom, steps)',
  })
  @ApiOkResponse({ type: LastConnectionTestDto })
  @ApiProblems(400, 404)
  lastTest(
    @UuidParam('id') packageId: string,
    @UuidParam('adapterId') adapterId: string,
    @Query() query: EnvironmentQueryDto,
  ): Promise<LastConnectionTestDto> {
    return this.service.lastTestByCode(packageId, adapterId, query.environment);
  }
}
