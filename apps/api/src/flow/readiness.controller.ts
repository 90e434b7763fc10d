import { Controller, Get, Headers, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { CurrentPrincipal, type Principal } from '../identity/principal';
import { ReadinessQueryDto, ReadinessResultDto } from './dto/readiness.dto';
import {
  EVENT_STREAM,
  READINESS_STREAMING_DOC,
  streamReadiness,
  wantsEventStream,
} from './readiness-stream';
import { ReadinessService } from './readiness.service';

/** The readiness checklist of a flow for one environment (JSON, or streamed as SSE). */
@ApiTags('Flows')
@Controller('packages/:id/flows')
export class ReadinessController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get(':flowId/readiness')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getFlowReadiness',
    summary: 'Whether a flow may be deployed to an environment: the checklist, item by item',
    description:
      "Checks the flow's current version for `environment`: graph, dependencies resolved and live, pinned versions exist, schema compatibility along the flow, each adapter's configuration there (overlay, secrets) and connection test (a passing result within READINESS_CONNECTION_TEST_MAX_AGE_MINUTES, or run now with `live=true`), each mapping complete with all sample tests passing, and whether you may deploy there (a protected environment needs INTEGRATOR or ADMINISTRATOR and a recent MFA confirmation). Each item has a status (pass, fail, warn, skipped), an explanation and a fix hint naming the asset to fix (never one you cannot read). `ready` is true when no item failed.",
  })
  @ApiProduces('application/json', EVENT_STREAM)
  @ApiOkResponse({ type: ReadinessResultDto, description: READINESS_STREAMING_DOC })
  @ApiProblems(400, 404)
  async check(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @Query() query: ReadinessQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<ReadinessResultDto | StreamableFile> {
    const live = query.live === true;
    if (!wantsEventStream(accept))
      return this.readiness.check(packageId, flowId, query.environment, principal, { live });
    // 404s and bad input are answered before the stream starts.
    const flow = await this.readiness.flow(packageId, flowId);
    const env = await this.readiness.environment(query.environment);
    return streamReadiness(
      (onItem) => this.readiness.evaluate(flow, env, principal, { live, onItem }),
      request,
    );
  }
}
