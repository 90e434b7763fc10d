import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import {
  ADAPTER_DIRECTIONS,
  ADAPTER_TYPES,
  ASSET_STATUSES,
  type AdapterType,
  type AssetStatus,
} from '@integrixs/domain';

import { PageOf } from '../../core/http/audited.dto';
import { PageQueryDto } from '../../core/listing/list-query.dto';

/** `limit`, `cursor` and an optional type filter: the overview is paged by name. */
export class AdapterOverviewQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ADAPTER_TYPES, description: 'Only adapters of this type.' })
  @IsOptional()
  @IsIn(ADAPTER_TYPES)
  adapterType?: AdapterType;
}

export class AdapterTestSummaryDto {
  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty()
  ok: boolean;

  @ApiProperty({ example: '2026-11-29T08:00:00.000Z' })
  testedAt: string;
}

export class AdapterOverviewItemDto {
  @ApiProperty({ format: 'uuid' })
  adapterId: string;

  @ApiProperty({ example: 'Invoice inbox' })
  name: string;

  @ApiProperty({ enum: ASSET_STATUSES, example: 'DRAFT' })
  status: AssetStatus;

  @ApiProperty({ enum: ADAPTER_TYPES, example: 'SFTP' })
  adapterType: string;

  @ApiProperty({ enum: ADAPTER_DIRECTIONS, example: 'SOURCE' })
  direction: string;

  @ApiProperty({
    type: [AdapterTestSummaryDto],
    description: 'The last connection test in each environment where one ran (environment order).',
  })
  lastTests: AdapterTestSummaryDto[];
}

/** A page of the overview, by name (case-insensitive), then id. */
export class AdapterOverviewDto extends PageOf(AdapterOverviewItemDto) {}
