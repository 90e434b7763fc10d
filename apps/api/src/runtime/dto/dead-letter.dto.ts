import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

import { DEAD_LETTER_STATUSES } from '@integrixs/runtime';

import { CountedPageOf } from '../../core/listing/counted-page.dto';
import {
  CONTENT_TYPE_PATTERN,
  FlowEnvironmentPageQueryDto,
  PayloadInfoDto,
} from './runtime-fields';

export const REPLAY_PINS = ['ORIGINAL', 'ACTIVE'] as const;
export type ReplayPins = (typeof REPLAY_PINS)[number];

/** At most this many dead letters in one bulk replay. */
export const BULK_REPLAY_MAX = 500;

export class DeadLetterDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  messageId: string;

  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty()
  flowName: string;

  @ApiProperty({ format: 'uuid' })
  deploymentId: string;

  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty({ example: 'send', description: 'The node whose step failed.' })
  nodeId: string;

  @ApiProperty({ type: Object })
  error: Record<string, unknown>;

  @ApiProperty({ type: 'integer' })
  attempts: number;

  @ApiProperty({ enum: DEAD_LETTER_STATUSES })
  status: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123456Z' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String })
  resolvedAt: string | null;

  @ApiProperty({ nullable: true, type: String })
  resolvedBy: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  replayMessageId: string | null;

  @ApiProperty({
    type: PayloadInfoDto,
    nullable: true,
    description: "The failed step's input (what a replay resumes with); null when removed.",
  })
  payload: PayloadInfoDto | null;
}

export class DeadLetterPageDto extends CountedPageOf(DeadLetterDto) {}

export class DeadLetterQueryDto extends FlowEnvironmentPageQueryDto {
  @ApiPropertyOptional({ enum: DEAD_LETTER_STATUSES })
  @IsOptional()
  @IsIn(DEAD_LETTER_STATUSES)
  status?: string;
}

export class ReplayDto {
  @ApiProperty({
    enum: REPLAY_PINS,
    description:
      "ORIGINAL: the failed message's own deployment (its pin set, even if no longer active); ACTIVE: the flow's active deployment in that environment now.",
  })
  @IsIn(REPLAY_PINS)
  pins: ReplayPins;

  @ApiPropertyOptional({
    description: "An edited payload to resume with instead of the failed step's stored input.",
  })
  @IsOptional()
  @IsString()
  payload?: string;

  @ApiPropertyOptional({
    example: 'application/xml',
    description: "The edited payload's type (default: the stored payload's).",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(CONTENT_TYPE_PATTERN, { message: 'must be a media type such as application/xml' })
  contentType?: string;
}

export class BulkReplayDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: BULK_REPLAY_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_REPLAY_MAX)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  ids: string[];

  @ApiProperty({ enum: REPLAY_PINS })
  @IsIn(REPLAY_PINS)
  pins: ReplayPins;
}

export class ReplayResultDto {
  @ApiProperty({ format: 'uuid' })
  deadLetterId: string;

  @ApiProperty({ format: 'uuid', description: 'The new message (trigger REPLAY).' })
  messageId: string;

  @ApiProperty({ format: 'uuid', description: 'The deployment it runs on.' })
  deploymentId: string;

  @ApiProperty({ example: 'send', description: 'The node it resumes at.' })
  resumeNodeId: string;

  @ApiProperty({ example: 'QUEUED' })
  status: string;
}

export const BULK_OUTCOMES = [
  'REPLAYED',
  'NOT_FOUND',
  'NOT_OPEN',
  'NO_ACTIVE_DEPLOYMENT',
  'PAYLOAD_GONE',
] as const;

export class BulkReplayItemDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: BULK_OUTCOMES })
  outcome: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  messageId: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Why it was not replayed.' })
  detail: string | null;
}

export class BulkReplayResultDto {
  @ApiProperty({ type: [BulkReplayItemDto], description: 'One per id, in the order sent.' })
  items: BulkReplayItemDto[];

  @ApiProperty({ type: 'integer' })
  replayed: number;

  @ApiProperty({ type: 'integer' })
  skipped: number;
}
