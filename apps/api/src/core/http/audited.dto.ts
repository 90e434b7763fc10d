import { type Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

import { type AuditedColumns } from '../database/audited-columns';

/** Identity, optimistic-locking version and audit stamps: what every resource view carries. */
export abstract class AuditedDto {
  @ApiProperty({ format: 'uuid', example: '3f8a4a4e-93b4-4a53-9d3a-5b8f1f1c9a10' })
  id: string;

  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'Optimistic-locking version; send it back on PUT.',
  })
  version: number;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  updatedAt: string;

  @ApiProperty({ example: 'system' })
  createdBy: string;

  @ApiProperty({ example: 'system' })
  updatedBy: string;
}

export function auditedView(entity: AuditedColumns): AuditedDto {
  return {
    id: entity.id,
    version: entity.version,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
    createdBy: entity.createdBy,
    updatedBy: entity.updatedBy,
  };
}

/** `{ items, total, nextCursor }` of `item`, documented for OpenAPI (extend it: `class XPageDto extends PageOf(XDto) {}`). */
export function PageOf<T>(
  item: Type<T>,
): Type<{ items: T[]; total: number; nextCursor: string | null }> {
  abstract class Page {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({
      type: 'integer',
      example: 1,
      description: 'Items matching the filters, over all pages.',
    })
    total: number;

    @ApiProperty({
      nullable: true,
      type: String,
      description: 'Pass as `cursor` for the next page; null on the last.',
    })
    nextCursor: string | null;
  }
  return Page as unknown as Type<{ items: T[]; total: number; nextCursor: string | null }>;
}
