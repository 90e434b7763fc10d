import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

import { PageQueryDto } from '../../core/listing/list-query.dto';

/** A MIME type with optional parameters (`application/xml; charset=utf-8`). */
export const CONTENT_TYPE_PATTERN = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/;

/** An environment code (DEV, PROD, …) in a runtime request. */
export function IsEnvironmentCode(): PropertyDecorator {
  return Matches(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, {
    message: 'must be an environment code such as DEV or PROD',
  });
}

/** A runtime list's page with the filters every runtime list has: the flow and the environment. */
export class FlowEnvironmentPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  flowId?: string;

  @ApiPropertyOptional({ example: 'DEV' })
  @IsOptional()
  @IsEnvironmentCode()
  environment?: string;
}

/** A stored payload as lists and details name it (its content is a separate download). */
export class PayloadInfoDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'application/xml' })
  contentType: string;

  @ApiProperty({ type: 'integer' })
  sizeBytes: number;

  @ApiProperty({ example: 'INPUT', enum: ['INPUT', 'STEP_INPUT', 'EDITED'] })
  role: string;
}
