import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, SORT_VALUES, TAG_MAX_LENGTH } from '@integrixs/domain';

/** `limit` and `cursor`: what every paged endpoint accepts. */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: LIST_LIMIT_MAX,
    default: LIST_LIMIT_DEFAULT,
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(LIST_LIMIT_MAX)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's `nextCursor`." })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

/** Query parameters every list endpoint accepts (PRODUCT.md › API conventions). */
export class ListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'Full-text search over name, tags and description; every word matches as a prefix.',
    example: 'invoice',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    description: 'Only items carrying this tag (exact match).',
    example: 'ubl',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TAG_MAX_LENGTH)
  tag?: string;

  @ApiPropertyOptional({
    description: 'Created at or after this instant (ISO-8601).',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({
    description: 'Created before this instant (ISO-8601).',
    example: '2027-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  createdTo?: string;

  @ApiPropertyOptional({
    description: 'Sort key; prefix with "-" for descending order.',
    enum: SORT_VALUES,
    default: 'name',
  })
  @IsOptional()
  @IsIn(SORT_VALUES)
  sort?: string;
}
