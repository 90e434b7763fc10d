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

  @ApiProperty({ example: '2026-11-25T14:21:15.123Z' })
  since: string;
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto] })
  items: MemberDto[];
}
