import { ApiProperty } from '@nestjs/swagger';

export class AssetCountsDto {
  @ApiProperty({ example: 16 })
  SCHEMA: number;

  @ApiProperty({ example: 2 })
  ADAPTER: number;

  @ApiProperty({ example: 1 })
  MAPPING: number;

  @ApiProperty({ example: 1 })
  FLOW: number;
}

export class PackageDto {
  @ApiProperty({ format: 'uuid', example: '3f8a4a4e-93b4-4a53-9d3a-5b8f1f1c9a10' })
  id: string;

  @ApiProperty({ example: 'Order to Cash' })
  name: string;

  @ApiProperty({ example: 'Sales orders from the web shop to the ERP, invoices back.' })
  description: string;

  @ApiProperty({ type: [String], example: ['sales', 'erp'] })
  tags: string[];

  @ApiProperty({ nullable: true, type: String, example: 'team-finance' })
  owner: string | null;

  @ApiProperty({ example: 1, description: 'Optimistic-locking version; send it back on PUT.' })
  version: number;

  @ApiProperty({ type: AssetCountsDto, description: 'Live assets in the package, by type.' })
  assetCounts: AssetCountsDto;

  @ApiProperty({ example: 20 })
  totalAssets: number;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  updatedAt: string;

  @ApiProperty({ example: 'system' })
  createdBy: string;

  @ApiProperty({ example: 'system' })
  updatedBy: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Set while the package is deleted.',
  })
  deletedAt: string | null;
}

export class PackagePageDto {
  @ApiProperty({ type: [PackageDto] })
  items: PackageDto[];

  @ApiProperty({ example: 1, description: 'Items matching the filters, over all pages.' })
  total: number;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last.',
  })
  nextCursor: string | null;
}
