import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
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
import { CurrentPackageAccess, type PackageAccess } from '../identity/principal';
import {
  ExecutionDetailDto,
  ExecutionPageDto,
  ExecutionQueryDto,
  FlowHealthDto,
  FlowHealthQueryDto,
  ManualRunDto,
  PayloadQueryDto,
  SentMessageDto,
} from './dto/runtime.dto';
import { ExecutionsService, type StoredPayload } from './executions.service';
import { FlowHealthService } from './flow-health.service';
import { executionLocation } from './inbound.controller';
import { MessageIntakeService } from './message-intake.service';

/**
 * Sends a stored payload as itself, but never as a page the browser would render on the API's
 * origin: an attachment, sandboxed, not sniffed.
 */
export function sendPayload(reply: FastifyReply, payload: StoredPayload, name: string): Buffer {
  void reply
    .header('content-type', payload.contentType)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('x-content-type-options', 'nosniff')
    .header('x-payload-size', String(payload.sizeBytes));
  return payload.content;
}

/** A package's executions (one per message), manual runs and flow health. */
@ApiTags('Runtime')
@Controller('packages/:id')
export class ExecutionsController {
  constructor(
    private readonly executions: ExecutionsService,
    private readonly intake: MessageIntakeService,
    private readonly health: FlowHealthService,
  ) {}

  @Post('flows/:flowId/runs')
  @RequirePermission('runtime:send')
  @ApiOperation({
    operationId: 'runFlow',
    summary: 'Run a deployed flow once with a payload (manual trigger)',
    description:
      "Stores the payload as a message (trigger MANUAL) on the flow's active deployment in `environment` and queues it; 202 with its id once committed (Location: the execution). 409 when the flow is not deployed or SUSPENDED there (`state`); a protected environment needs ADMINISTRATOR or INTEGRATOR (403); 413 beyond RUNTIME_MAX_PAYLOAD_BYTES.",
  })
  @ApiAcceptedResponse({ type: SentMessageDto })
  @ApiProblems(400, 404, 409, 413)
  async run(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @Body() dto: ManualRunDto,
    @CurrentPackageAccess() access: PackageAccess,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SentMessageDto> {
    const sent = await this.intake.send({
      packageId,
      flowId,
      environment: dto.environment,
      payload: Buffer.from(dto.payload, 'utf8'),
      contentType: dto.contentType ?? 'text/plain',
      trigger: 'MANUAL',
      packageRole: access.role,
    });
    void reply.status(202).header('location', executionLocation(packageId, sent.messageId));
    return sent;
  }

  @Get('flows/:flowId/health')
  @RequirePermission('runtime:read')
  @ApiOperation({
    operationId: 'flowHealth',
    summary: "A flow's health in an environment over 5 minutes, 1 hour and 24 hours",
    description:
      'Per window, over the messages received in it: how many, succeeded, failed (dead-lettered), retrying, in flight, throughput per minute, error rate (failed / finished) and p50/p95 duration in ms of the finished ones.',
  })
  @ApiOkResponse({ type: FlowHealthDto })
  @ApiProblems(400, 404)
  flowHealth(
    @UuidParam('id') packageId: string,
    @UuidParam('flowId') flowId: string,
    @Query() query: FlowHealthQueryDto,
  ): Promise<FlowHealthDto> {
    return this.health.health(packageId, flowId, query.environment);
  }

  @Get('executions')
  @RequirePermission('runtime:read')
  @ApiOperation({
    operationId: 'listExecutions',
    summary: "The package's executions, newest first",
    description:
      'Filters: flowId, environment, status, trigger, from/to (received), q (a message id: the message and its replays; otherwise the start of the source reference). Keyset paging (`cursor`, `limit` ≤ 200); `total` is exact up to LIST_COUNT_CAP, beyond it `totalIsEstimate` is true.',
  })
  @ApiOkResponse({ type: ExecutionPageDto })
  @ApiProblems(400, 404)
  list(
    @UuidParam('id') packageId: string,
    @Query() query: ExecutionQueryDto,
  ): Promise<ExecutionPageDto> {
    return this.executions.list(packageId, query);
  }

  @Get('executions/:messageId')
  @RequirePermission('runtime:read')
  @ApiOperation({
    operationId: 'getExecution',
    summary: 'One execution with its trace: every step attempt in order, and its dead letter',
  })
  @ApiOkResponse({ type: ExecutionDetailDto })
  @ApiProblems(400, 404)
  get(
    @UuidParam('id') packageId: string,
    @UuidParam('messageId') messageId: string,
  ): Promise<ExecutionDetailDto> {
    return this.executions.get(packageId, messageId);
  }

  @Get('executions/:messageId/payload')
  @RequirePermission('runtime:read')
  @ApiOperation({
    operationId: 'getExecutionPayload',
    summary: "The execution's input payload, as its content type",
    description:
      'The bytes the message started (or its replay resumed) with, as an attachment with the stored Content-Type; `maxBytes` sends only the leading part (X-Payload-Size has the full size).',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiProblems(400, 404)
  async payload(
    @UuidParam('id') packageId: string,
    @UuidParam('messageId') messageId: string,
    @Query() query: PayloadQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const payload = await this.executions.inputPayload(packageId, messageId, query.maxBytes);
    return sendPayload(reply, payload, `${messageId}.bin`);
  }
}
