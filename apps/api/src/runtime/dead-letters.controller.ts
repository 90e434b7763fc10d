import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { DeadLettersService } from './dead-letters.service';
import {
  BulkReplayDto,
  BulkReplayResultDto,
  DeadLetterDto,
  DeadLetterPageDto,
  DeadLetterQueryDto,
  PayloadQueryDto,
  ReplayDto,
  ReplayResultDto,
} from './dto/runtime.dto';
import { sendPayload } from './executions.controller';
import { ExecutionsService } from './executions.service';
import { executionLocation } from './inbound.controller';

const REPLAY =
  'A replay is a new message (trigger REPLAY) resuming at the failed node with the stored input of the failed step (or `payload`, stored as an EDITED payload), on the original deployment (`pins: ORIGINAL`, even if no longer active) or the active one in that environment (`pins: ACTIVE`; 409 when there is none). Targets that already had their effect for the original message skip it. The dead letter becomes REPLAYED; audited.';

/** A package's dead letters: list, replay (one or many), discard. */
@ApiTags('Runtime')
@Controller('packages/:id/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly executions: ExecutionsService,
  ) {}

  @Get()
  @RequirePermission('runtime:read')
  @ApiOperation({
    operationId: 'listDeadLetters',
    summary: "The package's dead letters, newest first",
    description:
      'Filters: flowId, environment, status (OPEN, REPLAYED, DISCARDED). Keyset paging; `total` is exact up to LIST_COUNT_CAP (`totalIsEstimate` beyond).',
  })
  @ApiOkResponse({ type: DeadLetterPageDto })
  @ApiProblems(400, 404)
  list(
    @UuidParam('id') packageId: string,
    @Query() query: DeadLetterQueryDto,
  ): Promise<DeadLetterPageDto> {
    return this.deadLetters.list(packageId, query);
  }

  @Post('replay')
  @HttpCode(200)
  @RequirePermission('runtime:operate')
  @ApiOperation({
    operationId: 'replayDeadLetters',
    summary: 'Replay up to 500 dead letters in one transaction',
    description: `${REPLAY} Each id answers REPLAYED (with the new message id) or why it was skipped (NOT_FOUND, NOT_OPEN, NO_ACTIVE_DEPLOYMENT, PAYLOAD_GONE).`,
  })
  @ApiOkResponse({ type: BulkReplayResultDto })
  @ApiProblems(400, 404)
  replayMany(
    @UuidParam('id') packageId: string,
    @Body() dto: BulkReplayDto,
  ): Promise<BulkReplayResultDto> {
    return this.deadLetters.replayMany(packageId, dto.ids, dto.pins);
  }

  @Get(':deadLetterId')
  @RequirePermission('runtime:read')
  @ApiOperation({ operationId: 'getDeadLetter', summary: 'One dead letter' })
  @ApiOkResponse({ type: DeadLetterDto })
  @ApiProblems(400, 404)
  get(
    @UuidParam('id') packageId: string,
    @UuidParam('deadLetterId') deadLetterId: string,
  ): Promise<DeadLetterDto> {
    return this.deadLetters.get(packageId, deadLetterId);
  }

  @Get(':deadLetterId/payload')
  @RequirePermission('runtime:read')
  @ApiOperation({
    operationId: 'getDeadLetterPayload',
    summary: "The failed step's stored input (what a replay resumes with), as its content type",
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiProblems(400, 404)
  async payload(
    @UuidParam('id') packageId: string,
    @UuidParam('deadLetterId') deadLetterId: string,
    @Query() query: PayloadQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const payload = await this.executions.deadLetterPayload(
      packageId,
      deadLetterId,
      query.maxBytes,
    );
    return sendPayload(reply, payload, `${deadLetterId}.bin`);
  }

  @Post(':deadLetterId/replay')
  @RequirePermission('runtime:operate')
  @ApiOperation({
    operationId: 'replayDeadLetter',
    summary: 'Replay a dead letter, optionally with an edited payload',
    description: `${REPLAY} 409 when the dead letter is not OPEN. 202 with the new message id (Location: its execution).`,
  })
  @ApiAcceptedResponse({ type: ReplayResultDto })
  @ApiProblems(400, 404, 409, 413)
  async replay(
    @UuidParam('id') packageId: string,
    @UuidParam('deadLetterId') deadLetterId: string,
    @Body() dto: ReplayDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReplayResultDto> {
    const result = await this.deadLetters.replay(
      packageId,
      deadLetterId,
      dto.pins,
      dto.payload === undefined
        ? undefined
        : { payload: dto.payload, contentType: dto.contentType },
    );
    void reply.status(202).header('location', executionLocation(packageId, result.messageId));
    return result;
  }

  @Post(':deadLetterId/discard')
  @HttpCode(200)
  @RequirePermission('runtime:operate')
  @ApiOperation({
    operationId: 'discardDeadLetter',
    summary: 'Discard a dead letter (it is kept, marked DISCARDED; audited)',
  })
  @ApiOkResponse({ type: DeadLetterDto })
  @ApiProblems(400, 404, 409)
  discard(
    @UuidParam('id') packageId: string,
    @UuidParam('deadLetterId') deadLetterId: string,
  ): Promise<DeadLetterDto> {
    return this.deadLetters.discard(packageId, deadLetterId);
  }
}
