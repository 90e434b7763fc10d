import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { AUDIT_ACTIONS } from '../../core/audit/audit-log.entity';
import { PageOf } from '../../core/http/audited.dto';
import { ListQueryDto } from '../../core/listing/list-query.dto';

export class AuditQueryDto extends PickType(ListQueryDto, ['limit', 'cursor'] as const) {
  @ApiPropertyOptional({ description: 'User id (or "system", "anonymous").', example: 'system' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  packageId?: string;

  @ApiPropertyOptional({
    example: 'asset',
    description: 'package, asset, user, package_member, api_token, dependency, auth',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  entityType?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  entityId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'At or after (ISO-8601).' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Before (ISO-8601).' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;
}

/** The filters of GET /api/audit/me (entries about the caller). */
export class MyAuditQueryDto extends PickType(AuditQueryDto, [
  'limit',
  'cursor',
  'packageId',
  'action',
  'from',
  'to',
] as const) {}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123456Z' })
  occurredAt: string;

  @ApiProperty({ example: '5b0c6f5e-1a2b-4c3d-9e8f-0a1b2c3d4e5f' })
  actor: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'alice',
    description: 'Username of `actor`; null when it is no user (`system`) or the user is gone.',
  })
  actorName: string | null;

  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'UPDATE' })
  action: string;

  @ApiProperty({ example: 'asset' })
  entityType: string;

  @ApiProperty({ nullable: true, type: String })
  entityId: string | null;

  @ApiProperty({ nullable: true, type: String })
  packageId: string | null;

  @ApiProperty({
    type: Object,
    example: { name: { before: 'Old', after: 'New' } },
    description: 'Changed fields, before and after (secrets redacted).',
  })
  changes: Record<string, unknown>;

  @ApiProperty({ nullable: true, type: String })
  requestId: string | null;
}

export class AuditPageDto extends PageOf(AuditEntryDto) {}
