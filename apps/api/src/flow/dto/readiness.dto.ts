import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';

import { ENVIRONMENT_CODE } from '../../adapter/dto/adapter-environment-input.dto';
import { READINESS_ITEM_KEYS, READINESS_STATUSES } from '../readiness-types';

export class ReadinessQueryDto {
  @ApiProperty({ example: 'PROD', description: 'The environment to check the flow for.' })
  @IsString()
  @Matches(ENVIRONMENT_CODE, { message: 'must be an environment code such as DEV or PROD' })
  environment: string;

  @ApiPropertyOptional({
    default: false,
    description:
      "Run the adapters' connection tests now (each within READINESS_CONNECTION_TEST_TIMEOUT_SECONDS) instead of judging their last result. Adapters in packages where you may not run tests (`adapter:configure`) keep their last result.",
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  live?: boolean;
}

export class ReadinessAssetDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ example: 'ADAPTER' })
  type: string;

  @ApiProperty({ example: 'Invoices SFTP' })
  name: string;
}

export class ReadinessItemDto {
  @ApiProperty({ enum: READINESS_ITEM_KEYS, example: 'connection-test' })
  key: string;

  @ApiProperty({
    enum: READINESS_STATUSES,
    description: 'Only `fail` blocks; `warn` and `skipped` are said, not blocking.',
  })
  status: string;

  @ApiProperty({
    example: 'adapter "Invoices SFTP" has never been tested in PROD',
  })
  explanation: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What to do, naming the asset to fix; null when nothing is to be done.',
  })
  fixHint: string | null;

  @ApiPropertyOptional({
    type: ReadinessAssetDto,
    description: 'The asset to fix. Absent when the item is about no asset or one you cannot read.',
  })
  asset?: ReadinessAssetDto;

  @ApiPropertyOptional({ example: 'in', description: 'The flow node the item is about.' })
  nodeId?: string;
}

export class ReadinessResultDto {
  @ApiProperty({ description: 'No item failed: the flow may be deployed to the environment.' })
  ready: boolean;

  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty({ type: 'integer', description: 'The flow version checked.' })
  version: number;

  @ApiProperty({ example: 'PROD' })
  environment: string;

  @ApiProperty({ format: 'date-time' })
  checkedAt: string;

  @ApiProperty({ type: [ReadinessItemDto] })
  items: ReadinessItemDto[];
}
