import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ADAPTER_DIRECTIONS, ADAPTER_TYPES } from '@integrixs/domain';

import { AssetDetailDto } from '../../asset/dto/asset.dto';
import { AdapterSchemasDto } from './adapter-input.dto';

export class AdapterDetailDto extends AssetDetailDto {
  @ApiProperty({ enum: ADAPTER_TYPES, example: 'SFTP' })
  adapterType: string;

  @ApiProperty({ enum: ADAPTER_DIRECTIONS, example: 'SOURCE' })
  direction: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The base configuration; secret fields as `{ "set": true }` when stored.',
  })
  configuration: Record<string, unknown>;

  @ApiProperty({ type: AdapterSchemasDto })
  schemas: AdapterSchemasDto;
}

export class ConnectionTestStepDto {
  @ApiProperty({ example: 'connect' })
  step: string;

  @ApiProperty({ enum: ['passed', 'failed', 'skipped'] })
  status: string;

  @ApiProperty({ type: 'integer', example: 12 })
  durationMs: number;

  @ApiProperty({ example: 'connection refused on 127.0.0.1:2222' })
  message: string;
}

export class ConnectionTestResultDto {
  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty()
  ok: boolean;

  @ApiProperty({ type: [ConnectionTestStepDto] })
  steps: ConnectionTestStepDto[];

  @ApiProperty({ example: '2026-11-29T08:00:00.000Z' })
  testedAt: string;

  @ApiProperty({ description: 'Who ran it (user id, or "system").' })
  testedBy: string;
}

export class LastConnectionTestDto {
  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty({
    type: ConnectionTestResultDto,
    nullable: true,
    description: 'null: never tested in this environment.',
  })
  lastTest: ConnectionTestResultDto | null;
}

export class EffectiveConfigDto {
  @ApiProperty({ example: 'PROD' })
  environment: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Base configuration merged with the environment overlay; secrets masked.',
  })
  configuration: Record<string, unknown>;

  @ApiProperty({
    type: [String],
    example: ['PROD has no password or private key set'],
    description: 'What the environment lacks before the adapter can connect there.',
  })
  missing: string[];

  @ApiPropertyOptional({ type: ConnectionTestResultDto, nullable: true })
  lastTest: ConnectionTestResultDto | null;
}

export class OverlayDto {
  @ApiProperty({ example: 'PROD' })
  environment: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { host: 'sftp.prod.example.com' },
    description: 'Values merged over the base configuration in this environment (no secrets).',
  })
  values: Record<string, unknown>;
}

export class PromotionDifferenceDto {
  @ApiProperty({ example: '/host' })
  pointer: string;

  @ApiPropertyOptional({ description: 'Value in the source environment (absent: not set).' })
  from?: unknown;

  @ApiPropertyOptional({ description: 'Value in the target environment (absent: not set).' })
  to?: unknown;
}

export class PromotionPreviewDto {
  @ApiProperty({ example: 'DEV' })
  from: string;

  @ApiProperty({ example: 'PROD' })
  to: string;

  @ApiProperty({ type: [PromotionDifferenceDto], description: 'Overlay values that differ.' })
  differences: PromotionDifferenceDto[];

  @ApiProperty({
    type: [String],
    example: ['/password'],
    description: 'Secrets set in the source but not the target: enter them there (never copied).',
  })
  secretsToEnter: string[];
}
