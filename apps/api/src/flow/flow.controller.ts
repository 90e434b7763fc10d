import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { CurrentEditor, type AssetEditor } from '../asset/asset-editor';
import { etag, IF_MATCH_HEADER, optionalVersion } from '../core/http/expected-version';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { CurrentPrincipal, visibilityOf, type Principal } from '../identity/principal';
import { FlowDraftDto, FlowTransitionDto } from './dto/flow-input.dto';
import { FlowDetailDto, FlowDraftValidationDto, FlowValidationDto } from './dto/flow-views.dto';
import { FlowTransitions } from './flow-transitions.service';

/** The flow-specific routes: graph validation and lifecycle transitions. */
@ApiTags('Flows')
@Controller('packages/:id/flows')
export class FlowController {
  constructor(private readonly transitions: FlowTransitions) {}

  @Post('validation')
  @HttpCode(200)
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'validateFlowDraft',
    summary: "Check an unsaved graph (the designer's draft) without saving it",
    description:
      'Runs the checks a save runs on the `nodes` and `edges` given: their shape (400 naming each wrong field by JSON pointer, as a save would), then the graph (structure, references as you see them, payload fit). Each problem names its node and, where it is about one, its edge. Nothing is written.',
  })
  @ApiOkResponse({ type: FlowDraftValidationDto })
  @ApiProblems(400, 404, 413, 415)
  validateDraft(
    @UuidParam('id') _packageId: string,
    @Body() dto: FlowDraftDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FlowDraftValidationDto> {
    return this.transitions.validateDraft(dto, visibilityOf(principal));
  }

  @Get(':flowId/validation')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'validateFlow',
    summary: "The problems of a flow's graph, checked now",
    description:
      'Checks the current version as you see it: structure (one source, reachable, no cycles, routes with a default), references (exist, readable, live, right type and direction, pinned version exists) and payload fit along each edge. Each problem names its node and, where it is about one, its edge.',
  })
  @ApiOkResponse({ type: FlowValidationDto })
  @ApiProblems(400, 404)
  validation(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FlowValidationDto> {
    return this.transitions.validation(packageId, flowId, visibilityOf(principal));
  }

  @Post(':flowId/transitions')
  @HttpCode(200)
  @RequirePermission('asset:write')
  @ApiOperation({
    operationId: 'transitionFlow',
    summary: 'Move a flow through its lifecycle: DRAFT → READY → ARCHIVED (READY → DRAFT too)',
    description:
      'To READY only when the readiness checklist (GET …/readiness) passes in `environment`, or in any environment when none is named; who may deploy is not part of it. Otherwise 409 `flow_not_ready` with `problems` (graph) and `readiness` (each environment checked, its items). A move the state machine lacks is 409 `illegal_transition` with `allowed`. The version you read may go in If-Match or `version` (412 when stale).',
  })
  @ApiHeader({ ...IF_MATCH_HEADER, required: false })
  @ApiOkResponse({ type: FlowDetailDto })
  @ApiProblems(400, 404, 409, 412, 423)
  async transition(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @Body() dto: FlowTransitionDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentEditor() editor: AssetEditor,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FlowDetailDto> {
    const flow = await this.transitions.transition(
      packageId,
      flowId,
      dto.to,
      editor,
      principal,
      optionalVersion(ifMatch) ?? dto.version,
      dto.environment,
    );
    void reply.header('etag', etag(flow.version));
    return flow;
  }
}
