import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { AssetDetailDto } from '../../asset/dto/asset.dto';
import { SchemaVersionDetailDto, SchemaVersionPageDto } from '../../schema/dto/schema-views.dto';
import {
  MAPPING_KINDS,
  MappingFileDto,
  MappingRuleDto,
  MappingSchemaRefDto,
} from './mapping-input.dto';

/** A compile problem or warning, located in the mapping. */
export class MappingProblemDto {
  @ApiProperty({
    example: 'rules[3]',
    description: '`rules[i]`, `document`, or `file:line` (XSLT).',
  })
  location: string;

  @ApiPropertyOptional({ example: '/lines[]/note', description: "The rule's target." })
  target?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 9,
    description: 'Character offset in the expression (just past the offending token).',
  })
  position?: number;

  @ApiPropertyOptional({
    example: '/Invoice/InvoiceLine/Nte',
    description: 'Warnings: the source field path that does not exist.',
  })
  path?: string;

  @ApiProperty({
    example: 'unknown_source_field',
    description: '`syntax_error`, `unknown_target`, `unknown_source_field`, `empty_mapping`.',
  })
  code: string;

  @ApiProperty({ example: 'the source has no field /Invoice/InvoiceLine/Nte' })
  message: string;
}

export class MappingDetailDto extends AssetDetailDto {
  @ApiProperty({ enum: MAPPING_KINDS })
  kind: string;

  @ApiProperty({ type: MappingSchemaRefDto })
  sourceSchema: MappingSchemaRefDto;

  @ApiProperty({ type: MappingSchemaRefDto })
  targetSchema: MappingSchemaRefDto;

  @ApiProperty({ type: [MappingRuleDto] })
  rules: MappingRuleDto[];

  @ApiProperty({ type: String, nullable: true })
  documentExpression: string | null;

  @ApiProperty({ type: String, nullable: true })
  stylesheet: string | null;

  @ApiProperty({ type: [MappingFileDto] })
  files: MappingFileDto[];

  @ApiProperty({
    type: [MappingProblemDto],
    description: 'Source fields the source schema does not have (never block a save).',
  })
  warnings: MappingProblemDto[];
}

export class MissingFieldDto {
  @ApiProperty({ example: '/issueDate' })
  path: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'A required choice none of whose alternatives is mapped: the alternatives.',
  })
  oneOf?: string[];
}

export class MappingCompletenessDto {
  @ApiProperty({ type: 'integer', example: 1, description: 'The target schema version used.' })
  targetVersion: number;

  @ApiProperty()
  complete: boolean;

  @ApiProperty({ type: [String], example: ['/id', '/totals/payable'] })
  covered: string[];

  @ApiProperty({ type: [MissingFieldDto] })
  missingRequired: MissingFieldDto[];

  @ApiProperty({ type: [String], example: ['/customer'] })
  unmappedOptional: string[];
}

export class MappingVersionPageDto extends SchemaVersionPageDto {}

export class MappingVersionDetailDto extends SchemaVersionDetailDto {}

export class MappingChangeDto {
  @ApiProperty({
    example: '/rules/~1totals~1payable',
    description:
      'JSON pointer into the content; rules are keyed by their target (`/rules/{target}`), XSLT files by path (`/files/{path}`).',
  })
  path: string;

  @ApiProperty({ enum: ['added', 'removed', 'changed'] })
  op: string;

  @ApiPropertyOptional({ description: 'The value in `from` (absent for `added`).' })
  before?: unknown;

  @ApiPropertyOptional({ description: 'The value in `to` (absent for `removed`).' })
  after?: unknown;
}

export class MappingDiffDto {
  @ApiProperty({ type: 'integer', example: 1 })
  from: number;

  @ApiProperty({ type: 'integer', example: 2 })
  to: number;

  @ApiProperty({ type: [MappingChangeDto], description: 'Empty when the versions are equal.' })
  changes: MappingChangeDto[];
}
