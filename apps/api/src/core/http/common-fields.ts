import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import {
  DESCRIPTION_MAX_LENGTH,
  NAME_MAX_LENGTH,
  TAG_MAX_LENGTH,
  TAG_PATTERN,
  TAGS_MAX,
} from '@integrixs/domain';

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);
const NO_CONTROL_CHARS = /^[^\p{Cc}\p{Cs}]*$/u;

/** A display name: trimmed, 1–200 characters, no control characters. */
export function NameField(options: { required: boolean; example: string }) {
  return applyDecorators(
    (options.required ? ApiProperty : ApiPropertyOptional)({
      example: options.example,
      maxLength: NAME_MAX_LENGTH,
      description:
        'Trimmed; unique (case-insensitive) in its scope among items that are not deleted.',
    }),
    ...(options.required ? [] : [IsOptional()]),
    trim,
    IsString(),
    IsNotEmpty({ message: 'must not be empty' }),
    MaxLength(NAME_MAX_LENGTH),
    Matches(NO_CONTROL_CHARS, { message: 'must not contain control characters' }),
  );
}

// eslint-disable-next-line no-control-regex -- NUL is exactly what PostgreSQL text cannot store
const NO_NUL = /^[^\u0000]*$/u;

/** Free text: any characters PostgreSQL can store (everything but NUL), up to `maxLength`. */
export function TextField(options: {
  example: string;
  maxLength: number;
  description?: string;
  nullable?: boolean;
}) {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      example: options.example,
      maxLength: options.maxLength,
      description: options.description,
      nullable: options.nullable,
    }),
    IsOptional(),
    IsString(),
    MaxLength(options.maxLength),
    Matches(NO_NUL, { message: 'must not contain NUL characters' }),
  );
}

export function DescriptionField(example: string) {
  return TextField({ example, maxLength: DESCRIPTION_MAX_LENGTH });
}

export function TagsField(example: string[]) {
  return applyDecorators(
    ApiPropertyOptional({
      example,
      type: [String],
      maxItems: TAGS_MAX,
      description: `Up to ${TAGS_MAX} distinct tags of letters, digits, space and . _ : / - (max ${TAG_MAX_LENGTH} characters each).`,
    }),
    IsOptional(),
    ArrayMaxSize(TAGS_MAX),
    ArrayUnique(),
    IsString({ each: true }),
    MaxLength(TAG_MAX_LENGTH, { each: true }),
    Matches(TAG_PATTERN, {
      each: true,
      message:
        'each tag must start with a letter or digit and use letters, digits, space or . _ : / -',
    }),
  );
}

/** The optimistic-locking version a write is based on (or send it as If-Match). */
export function VersionField() {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      example: 1,
      minimum: 1,
      description:
        'The version you read. Required here or as an If-Match header; a stale one gets 412.',
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(2_147_483_647),
  );
}

/** OpenAPI schema of "any JSON value except null" (asset content). */
export const ANY_JSON_VALUE = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};
