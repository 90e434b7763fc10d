import { ApiProperty } from '@nestjs/swagger';

import { ASSET_STATUSES, ASSET_TYPES } from '@integrixs/domain';

import { AssetDto } from '../../asset/dto/asset.dto';
import { AssetCountsDto } from '../../package-metadata/dto/package.dto';

export class StatusCountsDto {
  @ApiProperty({ type: 'integer', example: 3 })
  DRAFT: number;

  @ApiProperty({ type: 'integer', example: 15 })
  READY: number;

  @ApiProperty({ type: 'integer', example: 1 })
  ARCHIVED: number;
}

export class TypeStatusCountDto {
  @ApiProperty({ enum: ASSET_TYPES, example: 'SCHEMA' })
  type: string;

  @ApiProperty({ enum: ASSET_STATUSES, example: 'READY' })
  status: string;

  @ApiProperty({ type: 'integer', example: 16 })
  count: number;
}

export class ReadinessSummaryDto {
  @ApiProperty({
    enum: ['NOT_EVALUATED', 'READY', 'NOT_READY'],
    example: 'NOT_EVALUATED',
    description:
      'The readiness gate fills this in; NOT_EVALUATED until it has run for the package.',
  })
  status: string;

  @ApiProperty({ type: 'integer', example: 0 })
  failingItems: number;

  @ApiProperty({ nullable: true, type: String, example: null })
  checkedAt: string | null;
}

export class ContainerContentsDto {
  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ type: 'integer', example: 20 })
  totalAssets: number;

  @ApiProperty({ type: AssetCountsDto })
  byType: AssetCountsDto;

  @ApiProperty({ type: StatusCountsDto, description: 'Live assets by status.' })
  byStatus: StatusCountsDto;

  @ApiProperty({ type: [TypeStatusCountDto] })
  byTypeAndStatus: TypeStatusCountDto[];

  @ApiProperty({ type: [AssetDto], description: 'The 10 most recently modified assets.' })
  lastModified: AssetDto[];

  @ApiProperty({ type: ReadinessSummaryDto })
  readiness: ReadinessSummaryDto;
}
