import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { RequirePermission } from '../http/permission.decorators';
import { MetricsService } from './metrics.service';

/** Served at `/metrics` (outside `/api`), where Prometheus expects it. */
@ApiTags('Operations')
@RequirePermission('metrics:read')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (text exposition format)',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'HTTP latency histogram by route, PostgreSQL pool gauges, process metrics.',
  })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
