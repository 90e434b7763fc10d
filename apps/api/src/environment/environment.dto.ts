import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';

import { NameField } from '../core/http/common-fields';

export class EnvironmentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'PROD', description: 'Upper-case code used in URLs and queries.' })
  code: string;

  @ApiProperty({ example: 'Production' })
  name: string;

  @ApiProperty({ description: 'Protected environments gate deployments (flows issue).' })
  protected: boolean;
}

export class CreateEnvironmentDto {
  @ApiProperty({ example: 'UAT', pattern: '^[A-Z][A-Z0-9_]{0,31}$' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,31}$/, {
    message: 'must be 1–32 upper-case letters, digits or _ starting with a letter (e.g. UAT)',
  })
  code: string;

  @NameField({ required: true, example: 'User acceptance' })
  name: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  protected?: boolean;
}

/** `PATCH /api/environments/{code}`: a new display name and/or the protected flag. */
export class UpdateEnvironmentDto {
  @NameField({ required: false, example: 'Production (EU)' })
  name?: string;

  @ApiPropertyOptional({
    description: 'Protected environments gate deployments and cannot be deleted.',
  })
  @IsOptional()
  @IsBoolean()
  protected?: boolean;
}
