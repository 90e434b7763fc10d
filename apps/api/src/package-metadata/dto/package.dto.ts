import { ApiProperty } from '@nestjs/swagger';

import { PERMISSIONS, ROLES, type Permission, type Role } from '@integrixs/domain';

import { AuditedDto } from '../../core/http/audited.dto';
import { CountedPageOf } from '../../core/listing/counted-page.dto';

export class AssetCountsDto {
  @ApiProperty({ type: 'integer', example: 16 })
  SCHEMA: number;

  @ApiProperty({ type: 'integer', example: 2 })
  ADAPTER: number;

  @ApiProperty({ type: 'integer', example: 1 })
  MAPPING: number;

  @ApiProperty({ type: 'integer', example: 1 })
  FLOW: number;
}

export class PackageDto extends AuditedDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'alice',
    description: 'Username of `updatedBy`; null when it is no user (`system`) or the user is gone.',
  })
  updatedByName: string | null;

  @ApiProperty({ example: 'Order to Cash' })
  name: string;

  @ApiProperty({ example: 'Sales orders from the web shop to the ERP, invoices back.' })
  description: string;

  @ApiProperty({ type: [String], example: ['sales', 'erp'] })
  tags: string[];

  @ApiProperty({ nullable: true, type: String, example: 'team-finance' })
  owner: string | null;

  @ApiProperty({ type: AssetCountsDto, description: 'Live assets in the package, by type.' })
  assetCounts: AssetCountsDto;

  @ApiProperty({ type: 'integer', example: 20 })
  totalAssets: number;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Set while the package is deleted.',
  })
  deletedAt: string | null;
}

export class PackagePageDto extends CountedPageOf(PackageDto) {}

/** One package, with what the caller may do in it (the console hides what they may not). */
export class PackageDetailDto extends PackageDto {
  @ApiProperty({
    enum: ROLES,
    example: 'DEVELOPER',
    description: 'Your role in this package (global administrators are administrators everywhere).',
  })
  yourRole: Role;

  @ApiProperty({
    enum: PERMISSIONS,
    isArray: true,
    example: ['package:read', 'asset:read', 'asset:write'],
    description: 'The package permissions you hold here (an API token: only those it was given).',
  })
  yourPermissions: Permission[];
}
