import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsDateString,
  IsIn,
  IsOptional,
  IsUUID,
} from 'class-validator';

import { PERMISSIONS, type Permission } from '@integrixs/domain';

import { NameField } from '../../core/http/common-fields';

export class CreateApiTokenDto {
  @NameField({ required: true, example: 'GitLab deploy pipeline' })
  name: string;

  @ApiProperty({
    enum: PERMISSIONS,
    isArray: true,
    example: ['package:read', 'asset:read', 'asset:write'],
    description:
      'What the token may do: a subset of your own permissions (checked again on every use).',
  })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PERMISSIONS, { each: true })
  permissions: Permission[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    nullable: true,
    description: 'Limit the token to these packages (default: every package you can reach).',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  packageIds?: string[] | null;

  @ApiPropertyOptional({
    example: '2027-02-23T00:00:00Z',
    description: 'Default 90 days from now; at most one year.',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'GitLab deploy pipeline' })
  name: string;

  @ApiProperty({
    example: 'ixt_Kq3x…',
    description: 'The beginning of the token, to recognise it.',
  })
  hint: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true })
  permissions: string[];

  @ApiProperty({ type: [String], nullable: true })
  packageIds: string[] | null;

  @ApiProperty({ example: '2027-02-23T00:00:00.000Z' })
  expiresAt: string;

  @ApiProperty({ nullable: true, type: String })
  lastUsedAt: string | null;

  @ApiProperty({ nullable: true, type: String })
  revokedAt: string | null;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  createdAt: string;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({
    description: 'The token itself: shown this once, stored only as a hash.',
    example: 'ixt_Kq3x...',
  })
  token: string;
}

export class ApiTokenListDto {
  @ApiProperty({ type: [ApiTokenDto] })
  items: ApiTokenDto[];
}
