import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsString, ValidateIf } from 'class-validator';

import { NameField, VersionField } from '../../core/http/common-fields';

export class CreateMappingSampleDto {
  @NameField({ required: true, example: 'UBL example' })
  name: string;

  @ApiProperty({
    example: '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">…</Invoice>',
    description: 'The input payload text (XML or JSON, as the source schema reads).',
  })
  @IsString()
  input: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '{"id":"TOSL108"}',
    description: 'The expected output text; null or absent: the output is not compared.',
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsString()
  expectedOutput?: string | null;
}

/** Fields left out keep their value; `expectedOutput: null` removes it. */
export class UpdateMappingSampleDto extends PartialType(CreateMappingSampleDto) {
  @VersionField()
  version?: number;
}

export class MappingSampleSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  mappingId: string;

  @ApiProperty({ example: 'UBL example' })
  name: string;

  @ApiProperty()
  hasExpectedOutput: boolean;

  @ApiProperty({ type: 'integer', example: 1 })
  version: number;

  @ApiProperty({ example: '2026-11-29T08:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-11-29T08:00:00.000Z' })
  updatedAt: string;
}

export class MappingSampleDto extends MappingSampleSummaryDto {
  @ApiProperty()
  input: string;

  @ApiProperty({ type: String, nullable: true })
  expectedOutput: string | null;
}

export class MappingSampleListDto {
  @ApiProperty({ type: [MappingSampleSummaryDto] })
  items: MappingSampleSummaryDto[];
}
