import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { SCHEMA_TYPES } from '@integrixs/domain';

import { AssetDetailDto } from '../../asset/dto/asset.dto';
import { PageOf } from '../../core/http/audited.dto';
import { ANY_JSON_VALUE } from '../../core/http/common-fields';
import { DependentAssetDto } from '../../dependency/dto/dependency-graph.dto';

export class SchemaProblemDto {
  @ApiPropertyOptional({ example: 'maindoc/UBL-Invoice-2.1.xsd' })
  file?: string;

  @ApiPropertyOptional({ type: 'integer', example: 12 })
  line?: number;

  @ApiPropertyOptional({ type: 'integer', example: 5 })
  column?: number;

  @ApiPropertyOptional({ example: '/properties/name', description: 'JSON pointer (JSON Schema).' })
  pointer?: string;

  @ApiProperty({
    example:
      'operation GetWeather output refers to message tns:GetWeatherResponse, which is not defined',
  })
  message: string;

  @ApiProperty({
    example: 'definition_missing',
    enum: [
      'bundle_invalid',
      'xml_unsafe',
      'syntax_error',
      'reference_unresolved',
      'definition_missing',
      'schema_invalid',
    ],
  })
  code: string;
}

export class SchemaDetailDto extends AssetDetailDto {
  @ApiProperty({ enum: SCHEMA_TYPES, example: 'XSD' })
  schemaType: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
    description: "The main file's targetNamespace (XSD, WSDL) or $id (JSON Schema).",
  })
  targetNamespace: string | null;

  @ApiPropertyOptional({
    type: [SchemaProblemDto],
    description:
      'On writes: what the compiler noticed but accepted (e.g. WSDL constructs it does not check).',
  })
  warnings?: SchemaProblemDto[];
}

export class SchemaVersionDto {
  @ApiProperty({ type: 'integer', example: 2 })
  version: number;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  contentHash: string;

  @ApiProperty({ example: 'Added the delivery terms' })
  message: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  createdAt: string;

  @ApiProperty({
    format: 'uuid',
    description: 'Who saved the version (user id, or `system`), as in every audit column.',
  })
  createdBy: string;

  @ApiProperty({ example: 'alice', description: 'Author of the version: their username.' })
  author: string;
}

export class SchemaVersionDetailDto extends SchemaVersionDto {
  @ApiProperty({
    ...ANY_JSON_VALUE,
    description: 'The bundle: `{ type, main, files: [{ path, text }] }`.',
  })
  content: unknown;
}

export class SchemaVersionPageDto extends PageOf(SchemaVersionDto) {}

export class SchemaChangeDto {
  @ApiProperty({ enum: ['added', 'removed', 'changed'] })
  change: string;

  @ApiProperty({ example: '/Invoice/DueDate' })
  path: string;

  @ApiProperty({ example: 'element' })
  kind: string;

  @ApiPropertyOptional({ example: 'minOccurs' })
  aspect?: string;

  @ApiPropertyOptional({ ...ANY_JSON_VALUE })
  before?: unknown;

  @ApiPropertyOptional({ ...ANY_JSON_VALUE })
  after?: unknown;

  @ApiProperty()
  breaking: boolean;

  @ApiProperty({ example: '/Invoice/DueDate became required (minOccurs 0 → 1)' })
  message: string;
}

export class SchemaDiffDto {
  @ApiProperty({ type: 'integer', example: 1 })
  from: number;

  @ApiProperty({ type: 'integer', example: 2 })
  to: number;

  @ApiProperty({ enum: ['breaking', 'non-breaking'] })
  compatibility: string;

  @ApiProperty({ type: [SchemaChangeDto] })
  changes: SchemaChangeDto[];

  @ApiProperty({ type: [String], description: 'Why the change is breaking.' })
  reasons: string[];

  @ApiProperty({ description: 'Unified text diff of every file.' })
  textDiff: string;

  @ApiProperty({
    type: [DependentAssetDto],
    description:
      'Assets the change affects: those that depend on this schema, directly or through other assets, nearest first. Only assets in packages you can read are listed; the others are counted in `hiddenDependents`.',
  })
  dependents: DependentAssetDto[];

  @ApiProperty({
    type: 'integer',
    example: 0,
    description: 'How many affected assets are in packages you cannot read (never named).',
  })
  hiddenDependents: number;
}

export class SchemaFieldDto {
  @ApiProperty({ example: '/Invoice/AccountingSupplierParty' })
  path: string;

  @ApiProperty({ example: 'AccountingSupplierParty' })
  name: string;

  @ApiPropertyOptional()
  namespace?: string;

  @ApiProperty({
    enum: ['element', 'attribute', 'any', 'property', 'items', 'operation', 'message', 'part'],
  })
  kind: string;

  @ApiPropertyOptional({ example: 'SupplierPartyType' })
  type?: string;

  @ApiPropertyOptional()
  typeNamespace?: string;

  @ApiPropertyOptional({ type: 'integer' })
  minOccurs?: number;

  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['unbounded'] }] })
  maxOccurs?: number | 'unbounded';

  @ApiPropertyOptional()
  required?: boolean;

  @ApiPropertyOptional({ description: 'One alternative of a choice / oneOf / anyOf.' })
  choice?: boolean;

  @ApiPropertyOptional()
  documentation?: string;

  @ApiPropertyOptional({ type: [String] })
  enum?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  facets?: Record<string, string>;

  @ApiPropertyOptional({ description: 'The type recurs here (children as at its ancestor).' })
  recursive?: boolean;

  @ApiPropertyOptional({
    description: 'Not expanded further (depth or size cap): ask for `?path=` this field’s path.',
  })
  truncated?: boolean;

  @ApiPropertyOptional({ type: () => [SchemaFieldDto] })
  children?: SchemaFieldDto[];
}

export class SchemaStructureDto {
  @ApiProperty({ enum: SCHEMA_TYPES })
  type: string;

  @ApiProperty({ type: 'integer', example: 1 })
  version: number;

  @ApiProperty({ type: [SchemaFieldDto] })
  roots: SchemaFieldDto[];

  @ApiPropertyOptional({ type: [String], description: 'Named global types, as {namespace}name.' })
  types?: string[];
}

export class PayloadErrorDto {
  @ApiPropertyOptional({ type: 'integer', example: 14 })
  line?: number;

  @ApiPropertyOptional({ type: 'integer', example: 3 })
  column?: number;

  @ApiPropertyOptional({
    example: '/items/0/price',
    description: 'JSON pointer (JSON) or XPath (XML) of the offending value.',
  })
  path?: string;

  @ApiProperty({ example: "Element 'cbc:IssueDate': '2026-13-01' is not a valid value" })
  message: string;
}

export class PayloadValidationDto {
  @ApiProperty({ type: 'integer', example: 1, description: 'The version validated against.' })
  version: number;

  @ApiProperty()
  valid: boolean;

  @ApiProperty({ type: [PayloadErrorDto] })
  errors: PayloadErrorDto[];
}
