import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

import { IsEnvironmentCode } from './runtime-fields';

export class FlowHealthQueryDto {
  @ApiProperty({ example: 'DEV' })
  @IsString()
  @IsEnvironmentCode()
  environment: string;
}

export class HealthWindowDto {
  @ApiProperty({ enum: ['5m', '1h', '24h'] })
  window: string;

  @ApiProperty({ type: 'integer', description: 'Messages received in the window.' })
  messages: number;

  @ApiProperty({ type: 'integer' })
  succeeded: number;

  @ApiProperty({ type: 'integer', description: 'Dead-lettered.' })
  failed: number;

  @ApiProperty({ type: 'integer' })
  retrying: number;

  @ApiProperty({ type: 'integer', description: 'Queued or running.' })
  inFlight: number;

  @ApiProperty({ description: 'Messages received per minute over the window.', example: 1.5 })
  throughputPerMinute: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'failed / (succeeded + failed); null when none finished.',
    example: 0.02,
  })
  errorRate: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Median duration of finished, ms.' })
  p50Ms: number | null;

  @ApiProperty({ nullable: true, type: Number, description: '95th percentile duration, ms.' })
  p95Ms: number | null;
}

export class FlowHealthDto {
  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123456Z', description: 'The figures’ "now".' })
  asOf: string;

  @ApiProperty({ type: [HealthWindowDto], description: '5m, 1h and 24h.' })
  windows: HealthWindowDto[];
}
