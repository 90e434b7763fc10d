import { Controller, Headers, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';

import { ValidationError } from '../core/errors/app-error';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { CurrentPackageAccess, type PackageAccess } from '../identity/principal';
import { SentMessageDto } from './dto/runtime.dto';
import { DEFAULT_CONTENT_TYPE } from './inbound-body';
import { MessageIntakeService } from './message-intake.service';

/** The longest Idempotency-Key kept (runtime_messages.idempotency_key). */
const IDEMPOTENCY_KEY_MAX = 200;

/** Where an accepted message's execution is read. */
export function executionLocation(packageId: string, messageId: string): string {
  return `/api/packages/${packageId}/executions/${messageId}`;
}

/** Inbound HTTP trigger: any system posts a message to a deployed flow. */
@ApiTags('Runtime')
@Controller('runtime/inbound')
export class InboundController {
  constructor(private readonly intake: MessageIntakeService) {}

  @Post(':flowKey/:environment')
  @RequirePermission('runtime:send', {
    packageOfAsset: { param: 'flowKey', type: 'FLOW', label: 'Flow' },
  })
  @ApiOperation({
    operationId: 'sendInboundMessage',
    summary: 'Send a message to a deployed flow (inbound HTTP trigger)',
    description:
      "`flowKey` is the flow's id. The body is the message, stored byte for byte with its Content-Type (XML, JSON, text, binary; none: application/octet-stream), up to RUNTIME_MAX_PAYLOAD_BYTES (413 beyond). Authenticate with an API token carrying `runtime:send` for the flow's package (or a signed-in session); a protected environment (PROD) needs an ADMINISTRATOR or INTEGRATOR of the package (403 otherwise). 202 once the message and its job are committed, with its id and the execution's URL in Location. A repeated `Idempotency-Key` for the same flow and environment stores nothing and answers 200 with the first message's id and `duplicate: true`. An unknown flow, or one the token may not see, is 404; a flow not deployed or SUSPENDED in the environment is 409 naming its `state`; an unknown environment is 400.",
  })
  @ApiParam({ name: 'flowKey', description: "The flow's id (UUID)." })
  @ApiParam({ name: 'environment', description: 'Environment code (DEV, TEST, PROD, …).' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: `At most ${IDEMPOTENCY_KEY_MAX} characters: a repeat answers the first message.`,
  })
  @ApiConsumes('application/xml', 'application/json', 'text/plain', 'application/octet-stream')
  @ApiBody({ description: 'The message.', schema: { type: 'string', format: 'binary' } })
  @ApiAcceptedResponse({ type: SentMessageDto, description: 'Stored and queued.' })
  @ApiOkResponse({ type: SentMessageDto, description: 'A duplicate (`duplicate: true`).' })
  @ApiProblems(400, 404, 409, 413)
  async send(
    @Param('environment') environment: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPackageAccess() access: PackageAccess,
    @Req() request: FastifyRequest<{ Params: { flowKey: string } }>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SentMessageDto> {
    if (
      idempotencyKey !== undefined &&
      (idempotencyKey === '' || idempotencyKey.length > IDEMPOTENCY_KEY_MAX)
    )
      throw ValidationError.of(
        'idempotency-key',
        `must be 1 to ${IDEMPOTENCY_KEY_MAX} characters`,
        'length',
      );
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const sent = await this.intake.send({
      packageId: access.packageId,
      flowId: request.params.flowKey.toLowerCase(),
      environment,
      payload: body,
      contentType: request.inboundContentType || DEFAULT_CONTENT_TYPE,
      trigger: 'HTTP',
      idempotencyKey,
      sourceRef: request.id,
      packageRole: access.role,
    });
    void reply
      .status(sent.duplicate ? 200 : 202)
      .header('location', executionLocation(access.packageId, sent.messageId));
    return sent;
  }
}
