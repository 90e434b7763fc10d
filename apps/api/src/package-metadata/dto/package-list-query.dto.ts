import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsOptional, IsString, MaxLength } from 'class-validator';

import { ListQueryDto } from '../../core/listing/list-query.dto';

export class PackageListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    description: 'List deleted packages (to restore them) instead of live ones.',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  deleted?: boolean;

  @ApiPropertyOptional({
    description: 'Only packages with this owner (exact match, any letter case).',
    example: 'Finance IT',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({
    description: 'Updated at or after this instant (ISO-8601).',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  updatedFrom?: string;

  @ApiPropertyOptional({
    description: 'Updated before this instant (ISO-8601).',
    example: '2027-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  updatedTo?: string;
}
