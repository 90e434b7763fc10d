import { Body, Controller, ForbiddenException, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type FastifyRequest } from 'fastify';

import { Public, RequirePermission } from '../core/http/permission.decorators';

/** How many receipts the demo receiver keeps (in memory, newest first). */
const KEEP = 50;
/** How much of each body it keeps. */
const BODY_CHARS = 8192;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export class DemoReceiptDto {
  @ApiProperty({ format: 'date-time' })
  receivedAt: string;

  @ApiProperty({ nullable: true, description: 'The Idempotency-Key the runtime sent.' })
  idempotencyKey: string | null;

  @ApiProperty({ description: `The JSON received (its first ${BODY_CHARS} characters).` })
  body: string;
}

export class DemoReceiptListDto {
  @ApiProperty({ type: [DemoReceiptDto], description: 'Newest first, at most 50.' })
  items: DemoReceiptDto[];
}

/**
 * The demo flow's HTTP target: a stand-in for the system that receives invoice summaries, on
 * this server (demo only: the module exists only with INTEGRIXS_SEED_DEMO). It accepts posts
 * from loopback only (the in-process worker), keeps the last 50 in memory — nothing is stored —
 * and shows them to any signed-in user, so `npm start` runs the demo flow end to end.
 */
@ApiTags('Demo')
@Controller('demo/receiver')
export class DemoReceiverController {
  private readonly receipts: DemoReceiptDto[] = [];

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'demoReceive',
    summary: 'The demo HTTP target (loopback callers only)',
  })
  @ApiOkResponse({ description: 'Received.' })
  receive(@Req() request: FastifyRequest, @Body() body: unknown): { ok: true } {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? ''))
      throw new ForbiddenException('the demo receiver takes messages from this machine only');
    const key = request.headers['idempotency-key'];
    this.receipts.unshift({
      receivedAt: new Date().toISOString(),
      idempotencyKey: typeof key === 'string' ? key : null,
      body: JSON.stringify(body ?? null).slice(0, BODY_CHARS),
    });
    this.receipts.length = Math.min(this.receipts.length, KEEP);
    return { ok: true };
  }

  @Get('health')
  @Public()
  @ApiOperation({ operationId: 'demoReceiverHealth', summary: "The demo target's health check" })
  @ApiOkResponse({ description: 'Up.' })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @RequirePermission('package:list')
  @ApiOperation({
    operationId: 'demoReceipts',
    summary: 'What the demo HTTP target received (newest first)',
  })
  @ApiOkResponse({ type: DemoReceiptListDto })
  list(): DemoReceiptListDto {
    return { items: [...this.receipts] };
  }
}
