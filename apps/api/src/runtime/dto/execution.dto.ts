import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { MESSAGE_STATUSES, MESSAGE_TRIGGERS, STEP_STATUSES } from '@integrixs/runtime';

import { CountedPageOf } from '../../core/listing/counted-page.dto';
import { DeadLetterDto } from './dead-letter.dto';
import {
  CONTENT_TYPE_PATTERN,
  FlowEnvironmentPageQueryDto,
  IsEnvironmentCode,
  PayloadInfoDto,
} from './runtime-fields';

export class SentMessageDto {
  @ApiProperty({ format: 'uuid', description: 'The message id (also the execution id).' })
  messageId: string;

  @ApiProperty({
    enum: MESSAGE_STATUSES,
    example: 'QUEUED',
    description: 'QUEUED when accepted now; the first message’s current status on a duplicate.',
  })
  status: string;

  @ApiProperty({
    description: 'True when the Idempotency-Key was seen before: nothing new was stored.',
  })
  duplicate: boolean;
}

export class ManualRunDto {
  @ApiProperty({ example: 'DEV', description: 'Environment code of the deployment to run on.' })
  @IsString()
  @IsEnvironmentCode()
  environment: string;

  @ApiProperty({ description: 'The message body (text).', example: '<Invoice>…</Invoice>' })
  @IsString()
  payload: string;

  @ApiPropertyOptional({ example: 'application/xml', default: 'text/plain' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(CONTENT_TYPE_PATTERN, { message: 'must be a media type such as application/xml' })
  contentType?: string;
}

export class ExecutionQueryDto extends FlowEnvironmentPageQueryDto {
  @ApiPropertyOptional({ enum: MESSAGE_STATUSES })
  @IsOptional()
  @IsIn(MESSAGE_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: MESSAGE_TRIGGERS })
  @IsOptional()
  @IsIn(MESSAGE_TRIGGERS)
  trigger?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Received at or after.' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Received before.' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    description:
      'A message id (the message, or every message of its replay chain), or the start of a source reference (file name, mail uid, request id).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ExecutionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid', description: 'First message of its replay chain (its own id).' })
  originId: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  replayOf: string | null;

  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty({ example: 'Invoices to ERP' })
  flowName: string;

  @ApiProperty({ format: 'uuid' })
  deploymentId: string;

  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty({ enum: MESSAGE_TRIGGERS })
  trigger: string;

  @ApiProperty({ nullable: true, type: String, example: 'invoice-0042.xml' })
  sourceRef: string | null;

  @ApiProperty({ nullable: true, type: String })
  idempotencyKey: string | null;

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status: string;

  @ApiProperty({ type: 'integer' })
  attempts: number;

  @ApiProperty({ type: 'integer', description: 'Size of the input payload in bytes.' })
  sizeBytes: number;

  @ApiProperty({ type: Object, nullable: true, description: 'The last error, when it failed.' })
  error: Record<string, unknown> | null;

  @ApiProperty({ example: '2026-11-25T14:21:15.123456Z' })
  receivedAt: string;

  @ApiProperty({ nullable: true, type: String })
  startedAt: string | null;

  @ApiProperty({ nullable: true, type: String })
  finishedAt: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'When a RETRYING message runs next.' })
  nextAttemptAt: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Received to finished, ms.' })
  durationMs: number | null;

  @ApiProperty({ nullable: true, type: String, description: 'Node a retry or replay resumes at.' })
  resumeNodeId: string | null;

  @ApiProperty({ description: 'User id of who sent it (or runtime:<trigger>).' })
  createdBy: string;
}

export class ExecutionPageDto extends CountedPageOf(ExecutionDto) {}

export class StepDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'integer', description: 'The message attempt this step ran in.' })
  attempt: number;

  @ApiProperty({ example: 'map' })
  nodeId: string;

  @ApiProperty({ example: 'map' })
  kind: string;

  @ApiProperty({ enum: STEP_STATUSES })
  status: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123456Z' })
  startedAt: string;

  @ApiProperty({ type: 'integer' })
  durationMs: number;

  @ApiProperty({ type: Object, nullable: true })
  detail: Record<string, unknown> | null;

  @ApiProperty({ type: Object, nullable: true })
  error: Record<string, unknown> | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: "The step's input, size-capped (16 KB) with secrets masked.",
  })
  snapshot: string | null;
}

export class ExecutionDetailDto extends ExecutionDto {
  @ApiProperty({ type: [StepDto], description: 'Every step attempt, in the order they ran.' })
  steps: StepDto[];

  @ApiProperty({ type: PayloadInfoDto, nullable: true })
  input: PayloadInfoDto | null;

  @ApiProperty({ type: DeadLetterDto, nullable: true })
  deadLetter: DeadLetterDto | null;

  @ApiProperty({
    type: [String],
    description: 'Replays of this message (newest last).',
    example: [],
  })
  replays: string[];
}

export class PayloadQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      'Send at most this many leading bytes (a preview); the X-Payload-Size header has the full size.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  maxBytes?: number;
}
