import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { CreateAssetDto } from '../../asset/dto/create-asset.dto';
import { TextField, VersionField } from '../../core/http/common-fields';

export const MAPPING_KINDS = ['JSONATA', 'XSLT'] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

/** How long one expression or stylesheet file may be (characters). */
export const EXPRESSION_MAX = 200_000;
export const RULES_MAX = 5_000;
export const FILES_MAX = 200;

/** A library schema one side of the mapping reads or writes (a dependency edge). */
export class MappingSchemaRefDto {
  @ApiProperty({ format: 'uuid', description: 'A schema in any package you can read.' })
  @IsUUID()
  assetId: string;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    example: null,
    description: 'Pins a version of the schema; absent or null: follows its current version.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Invoice',
    description:
      "XSD global element (`Invoice` or `{namespace}Invoice`) or WSDL message (`GetWeather/input`); absent: the schema's first root.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  root?: string | null;
}

/** One JSONata rule: the target field path ← an expression over the source document. */
export class MappingRuleDto {
  @ApiProperty({
    example: '/totals/payable',
    description: 'A target structure path as the schema structure shows it (`/lines[]/amount`).',
  })
  @IsString()
  @MaxLength(2000)
  target: string;

  @ApiProperty({ example: "LegalMonetaryTotal.PayableAmount.'#text'" })
  @IsString()
  @MaxLength(EXPRESSION_MAX)
  expression: string;
}

/** A file an XSLT stylesheet includes or imports, by the href it uses. */
export class MappingFileDto {
  @ApiProperty({ example: 'common.xsl' })
  @IsString()
  @MaxLength(1000)
  path: string;

  @ApiProperty({ example: '<xsl:stylesheet version="1.0" …/>' })
  @IsString()
  @MaxLength(EXPRESSION_MAX)
  text: string;
}

export class CreateMappingDto extends OmitType(CreateAssetDto, ['content'] as const) {
  @ApiProperty({ enum: MAPPING_KINDS, example: 'JSONATA' })
  @IsIn(MAPPING_KINDS)
  kind: MappingKind;

  @ApiProperty({ type: MappingSchemaRefDto })
  @ValidateNested()
  @Type(() => MappingSchemaRefDto)
  sourceSchema: MappingSchemaRefDto;

  @ApiProperty({ type: MappingSchemaRefDto })
  @ValidateNested()
  @Type(() => MappingSchemaRefDto)
  targetSchema: MappingSchemaRefDto;

  @ApiPropertyOptional({ type: [MappingRuleDto], description: 'JSONATA: the field rules.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(RULES_MAX)
  @ValidateNested({ each: true })
  @Type(() => MappingRuleDto)
  rules?: MappingRuleDto[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: EXPRESSION_MAX,
    description:
      'JSONATA: one expression producing the whole output (rules then set their fields on it).',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(EXPRESSION_MAX)
  documentExpression?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: EXPRESSION_MAX,
    description: 'XSLT: the main stylesheet (XSLT 1.0, see the mapping engine README).',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(EXPRESSION_MAX)
  stylesheet?: string | null;

  @ApiPropertyOptional({
    type: [MappingFileDto],
    description: 'XSLT: files the stylesheet includes or imports.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FILES_MAX)
  @ValidateNested({ each: true })
  @Type(() => MappingFileDto)
  files?: MappingFileDto[];
}

/** Fields left out keep their value; changed content is compiled and makes a new version. */
export class UpdateMappingDto extends PartialType(CreateMappingDto) {
  @VersionField()
  version?: number;
}

export class RollbackMappingDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 1,
    description: 'The version to go back to.',
  })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;

  @TextField({ example: 'Back to version 1', maxLength: 1000, description: 'Version message.' })
  message?: string;
}
