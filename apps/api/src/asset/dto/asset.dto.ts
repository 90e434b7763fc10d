import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ASSET_STATUSES, ASSET_TYPES } from '@integrixs/domain';

export class AssetDto {
  @ApiProperty({ format: 'uuid', example: 'a1b2c3d4-0000-4000-8000-000000000001' })
  id: string;

  @ApiProperty({ format: 'uuid', example: '3f8a4a4e-93b4-4a53-9d3a-5b8f1f1c9a10' })
  packageId: string;

  @ApiProperty({ enum: ASSET_TYPES, example: 'SCHEMA' })
  type: string;

  @ApiProperty({ example: 'UBL Invoice 2.1' })
  name: string;

  @ApiProperty({ example: 'OASIS UBL 2.1 Invoice document schema.' })
  description: string;

  @ApiProperty({ type: [String], example: ['ubl', 'invoice'] })
  tags: string[];

  @ApiProperty({ enum: ASSET_STATUSES, example: 'DRAFT' })
  status: string;

  @ApiProperty({ example: 1, description: 'Number of the current content version.' })
  currentVersion: number;

  @ApiProperty({ example: 1, description: 'Optimistic-locking version; send it back on PUT.' })
  version: number;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  updatedAt: string;

  @ApiProperty({ example: 'system' })
  createdBy: string;

  @ApiProperty({ example: 'system' })
  updatedBy: string;
}

export class AssetSearchResultDto extends AssetDto {
  @ApiProperty({ example: 'UBL 2.1 Invoice (demo)' })
  packageName: string;
}

export class AssetDetailDto extends AssetDto {
  @ApiProperty({ description: 'Content of the current version.' })
  content: unknown;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  contentHash: string;

  @ApiPropertyOptional({ example: 'Initial import' })
  versionMessage: string;
}

export class AssetPageDto {
  @ApiProperty({ type: [AssetDto] })
  items: AssetDto[];

  @ApiProperty({ example: 16 })
  total: number;

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class AssetSearchPageDto {
  @ApiProperty({ type: [AssetSearchResultDto] })
  items: AssetSearchResultDto[];

  @ApiProperty({ example: 3 })
  total: number;

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
