import { applyDecorators } from '@nestjs/common';
import {
  ApiProperty,
  ApiPropertyOptional,
  IntersectionType,
  OmitType,
  PartialType,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { SCHEMA_TYPES, type SchemaType } from '@integrixs/domain';

import { CreateAssetDto } from '../../asset/dto/create-asset.dto';
import { TextField, VersionField } from '../../core/http/common-fields';

const PATH_MAX = 512;
const MAX_FILES = 500;
const MAX_LIBRARY_CHOICES = 100;

export class SchemaFileDto {
  @ApiProperty({
    example: 'common/UBL-CommonAggregateComponents-2.1.xsd',
    maxLength: PATH_MAX,
    description: 'Relative path inside the bundle; imports and includes resolve against it.',
  })
  @IsString()
  @MaxLength(PATH_MAX)
  path: string;

  @ApiProperty({ example: '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>' })
  @IsString()
  text: string;
}

/** A bundle as GET returns it in `content`, so a read-modify-write round trip works. */
export class SchemaBundleDto {
  @ApiPropertyOptional({ enum: SCHEMA_TYPES, description: 'Must be the schema’s type if sent.' })
  @IsOptional()
  @IsIn(SCHEMA_TYPES)
  type?: SchemaType;

  @ApiPropertyOptional({ maxLength: PATH_MAX, example: 'maindoc/UBL-Invoice-2.1.xsd' })
  @IsOptional()
  @IsString()
  @MaxLength(PATH_MAX)
  main?: string;

  @ApiProperty({ type: [SchemaFileDto], maxItems: MAX_FILES })
  @ValidateNested({ each: true })
  @Type(() => SchemaFileDto)
  @ArrayMaxSize(MAX_FILES)
  @IsArray()
  files: SchemaFileDto[];
}

/** Which library schema an imported namespace / `$id` resolves to. */
export class LibraryChoiceDto {
  @ApiProperty({
    maxLength: 2000,
    example: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
    description: 'The namespace (XSD, WSDL) or $id (JSON Schema) the schema imports.',
  })
  @IsString()
  @MaxLength(2000)
  namespace: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The library schema to use for it: one you can read that offers that identifier.',
  })
  @IsUUID()
  schemaId: string;
}

const LIBRARY_CHOICES_DESCRIPTION =
  'Which library schema each imported namespace / $id resolves to, where more than one readable package offers it (the save is refused with 409 and the candidates otherwise). The choice is pinned: later saves keep it until another is chosen.';

function LibraryChoicesField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [LibraryChoiceDto],
      maxItems: MAX_LIBRARY_CHOICES,
      description: LIBRARY_CHOICES_DESCRIPTION,
    }),
    IsOptional(),
    ValidateNested({ each: true }),
    Type(() => LibraryChoiceDto),
    ArrayMaxSize(MAX_LIBRARY_CHOICES),
    IsArray(),
  );
}

/**
 * The content of a schema, given as exactly one of: `document` (one file), `files` (a bundle
 * with relative paths), `zip` (a base64 zip archive of the bundle) or `content` (the bundle as
 * GET returns it).
 */
export class SchemaContentDto {
  @ApiPropertyOptional({
    description: 'One schema document (XSD, WSDL or JSON Schema text).',
    example:
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Note" type="xs:string"/></xs:schema>',
  })
  @IsOptional()
  @IsString()
  document?: string;

  @ApiPropertyOptional({
    maxLength: PATH_MAX,
    example: 'note.xsd',
    description: 'File name of `document` (default `schema.xsd`, `service.wsdl`, `schema.json`).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(PATH_MAX)
  fileName?: string;

  @ApiPropertyOptional({
    type: [SchemaFileDto],
    maxItems: MAX_FILES,
    description: 'A multi-file bundle; relative paths are kept.',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => SchemaFileDto)
  @ArrayMaxSize(MAX_FILES)
  @IsArray()
  files?: SchemaFileDto[];

  @ApiPropertyOptional({
    format: 'byte',
    description: 'A zip archive of the bundle, base64-encoded (folders become relative paths).',
  })
  @IsOptional()
  @IsBase64(undefined, { message: 'must be a base64-encoded zip archive' })
  zip?: string;

  @ApiPropertyOptional({
    type: SchemaBundleDto,
    description: 'The bundle in the shape GET returns it (`{ type, main, files }`).',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SchemaBundleDto)
  content?: SchemaBundleDto;

  @ApiPropertyOptional({
    maxLength: PATH_MAX,
    example: 'maindoc/UBL-Invoice-2.1.xsd',
    description:
      'Entry file of `files` or `zip`; when left out, the one file no other file refers to.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(PATH_MAX)
  main?: string;

  @LibraryChoicesField()
  libraryChoices?: LibraryChoiceDto[];
}

export class CreateSchemaDto extends IntersectionType(
  OmitType(CreateAssetDto, ['content'] as const),
  SchemaContentDto,
) {
  @ApiProperty({
    enum: SCHEMA_TYPES,
    example: 'XSD',
    description: 'XSD, WSDL 1.1 or JSON Schema (the `$schema` keyword picks the draft).',
  })
  @IsIn(SCHEMA_TYPES)
  type: SchemaType;
}

/** Fields left out keep their value; new content (identical content aside) is a new version. */
export class UpdateSchemaDto extends PartialType(OmitType(CreateSchemaDto, ['type'] as const)) {
  @VersionField()
  version?: number;

  @ApiPropertyOptional({
    enum: SCHEMA_TYPES,
    description: 'May be sent, but must be the schema’s type: a schema never changes type.',
  })
  @IsOptional()
  @IsIn(SCHEMA_TYPES)
  type?: SchemaType;
}

export class RollbackSchemaDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 1,
    description:
      'The content version to go back to. Its content becomes a new version (history is never rewritten). The optimistic-locking version goes in If-Match.',
  })
  @Min(1)
  @Max(2_147_483_647)
  @IsInt()
  version: number;

  @TextField({ example: 'Back to the published 2.1 set', maxLength: 1000 })
  message?: string;

  @LibraryChoicesField()
  libraryChoices?: LibraryChoiceDto[];
}

/** `?version=n`: a content version (default: the current one). */
export class SchemaVersionQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Default: current version.' })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(2_147_483_647)
  @IsInt()
  version?: number;

  @ApiPropertyOptional({
    maxLength: 500,
    example: 'Invoice',
    description:
      'XSD: the global element (`Invoice` or `{namespace}Invoice`; default: every root). WSDL: the message (`GetWeatherRequest` or `GetWeather/input`).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  root?: string;
}

export class SchemaStructureQueryDto extends SchemaVersionQueryDto {
  @ApiPropertyOptional({
    maxLength: 2000,
    example: '/Invoice/AccountingSupplierParty',
    description:
      'Only the subtree at this field path, expanded further: for fields the full tree marks `truncated`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  path?: string;
}

export class SchemaDiffQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Older version (default: the one before `to`).',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(2_147_483_647)
  @IsInt()
  from?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Newer version (default: current).',
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(2_147_483_647)
  @IsInt()
  to?: number;
}

export class DeleteSchemaQueryDto {
  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'Delete even though other assets depend on the schema (package administrators only).',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  force?: 'true' | 'false';
}
