import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

import { ROLES, type Role } from '@integrixs/domain';

export class PutMemberDto {
  @ApiProperty({
    enum: ROLES,
    example: 'DEVELOPER',
    description: "The user's role in this package.",
  })
  @IsIn(ROLES)
  role: Role;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ example: 'Alice Meyer' })
  displayName: string;

  @ApiProperty({ enum: ROLES, example: 'DEVELOPER' })
  role: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z', description: 'Same as addedAt.' })
  since: string;

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z', description: 'When they were added.' })
  addedAt: string;

  @ApiProperty({
    example: '5b0c6f5e-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
    description: 'Who added them: a user id, or `system`.',
  })
  addedBy: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'alice',
    description: 'Username of `addedBy` (null for `system` or a user that no longer exists).',
  })
  addedByUsername: string | null;
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto] })
  items: MemberDto[];
}
