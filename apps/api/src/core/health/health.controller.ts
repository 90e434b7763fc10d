import { Controller, Get, Logger, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FastifyReply } from 'fastify';
import { type DataSource } from 'typeorm';

import { Public } from '../http/permission.decorators';

class DependencyHealthDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status: 'up' | 'down';

  @ApiProperty({ example: 1.2 })
  latencyMs: number;
}

class HealthChecksDto {
  @ApiProperty({ type: DependencyHealthDto })
  database: DependencyHealthDto;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'], example: 'ok' })
  status: 'ok' | 'unavailable';

  @ApiProperty({
    description: 'The process is alive (always true when it answers).',
    example: true,
  })
  live: boolean;

  @ApiProperty({ description: 'Ready to serve: every dependency is up.', example: true })
  ready: boolean;

  @ApiProperty({ example: 3600 })
  uptimeSeconds: number;

  @ApiProperty({ type: HealthChecksDto })
  checks: HealthChecksDto;
}

@ApiTags('Operations')
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Liveness and database readiness (503 while the database is down)',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const database = await this.checkDatabase();
    const ready = database.status === 'up';
    void reply.status(ready ? 200 : 503).header('cache-control', 'no-store');
    return {
      status: ready ? 'ok' : 'unavailable',
      live: true,
      ready,
      uptimeSeconds: Math.round(process.uptime()),
      checks: { database },
    };
  }

  private async checkDatabase(): Promise<DependencyHealthDto> {
    const started = performance.now();
    try {
      await this.db.query('SELECT 1');
      return { status: 'up', latencyMs: round(performance.now() - started) };
    } catch (error) {
      // Anonymous callers learn up or down, never the database's error text (hosts, users,
      // versions): that goes to the log.
      this.logger.warn(`health check: database down (${(error as Error).message})`);
      return { status: 'down', latencyMs: round(performance.now() - started) };
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
