import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ASSET_STATUSES, ASSET_TYPES, SCHEMA_TYPES } from '@integrixs/domain';

import { AuditedDto } from '../../core/http/audited.dto';
import { ANY_JSON_VALUE } from '../../core/http/common-fields';
import { CountedPageOf } from '../../core/listing/counted-page.dto';

export class AssetLockDto {
  @ApiProperty({ format: 'uuid', description: 'The user who locked the asset.' })
  lockedBy: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  lockedAt: string;
}

export class AssetDto extends AuditedDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'alice',
    description: 'Username of `updatedBy`; null when it is no user (`system`) or the user is gone.',
  })
  updatedByName: string | null;

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

  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'Number of the current content version.',
  })
  currentVersion: number;

  @ApiProperty({
    type: AssetLockDto,
    nullable: true,
    description:
      'Set while the asset is locked: only the locker or a package administrator may change it.',
  })
  lock: AssetLockDto | null;
}

export class AssetSearchResultDto extends AssetDto {
  @ApiProperty({ example: 'UBL 2.1 Invoice (demo)' })
  packageName: string;

  @ApiProperty({
    nullable: true,
    type: String,
    enum: SCHEMA_TYPES,
    example: 'WSDL',
    description: "A schema's kind (XSD, WSDL, JSON_SCHEMA); null for other assets.",
  })
  schemaType: string | null;
}

export class AssetDetailDto extends AssetDto {
  @ApiProperty({ ...ANY_JSON_VALUE, description: 'Content of the current version.' })
  content: unknown;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  contentHash: string;

  @ApiPropertyOptional({ example: 'Initial import' })
  versionMessage: string;
}

export class AssetPageDto extends CountedPageOf(AssetDto) {}

export class AssetSearchPageDto extends CountedPageOf(AssetSearchResultDto) {}
