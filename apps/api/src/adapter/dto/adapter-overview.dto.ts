import { ApiProperty } from '@nestjs/swagger';

import { ADAPTER_DIRECTIONS, ADAPTER_TYPES } from '@integrixs/domain';

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

export class AdapterOverviewDto {
  @ApiProperty({ type: [AdapterOverviewItemDto] })
  items: AdapterOverviewItemDto[];
}
