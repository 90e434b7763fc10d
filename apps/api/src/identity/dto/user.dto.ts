import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

import {
  canonicalUsername,
  PASSWORD_MAX_LENGTH,
  ROLES,
  USERNAME_PATTERN,
  type Role,
} from '@integrixs/domain';

import { AuditedDto, PageOf } from '../../core/http/audited.dto';
import { TextField, VersionField } from '../../core/http/common-fields';
import { ListQueryDto } from '../../core/listing/list-query.dto';

/** Names are taken in their canonical form (so "ＡＬＩＣＥ" is "alice", and taken if she exists). */
const canonical = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? canonicalUsername(value) : value,
);

export class CreateUserDto {
  @ApiProperty({
    example: 'alice',
    description:
      '3–64 of a–z, 0–9, dot, underscore, hyphen (stored in canonical form: NFKC, lower-case).',
  })
  @canonical
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'must be 3–64 of a–z, 0–9, dot, underscore or hyphen, starting with a letter or digit',
  })
  username: string;

  @TextField({ example: 'Alice Meyer', maxLength: 200 })
  displayName?: string;

  @ApiPropertyOptional({ example: 'alice@example.com', nullable: true, type: String })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiProperty({ enum: ROLES, example: 'DEVELOPER' })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ description: 'Initial password: at least 12 characters, not a common one.' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

/** Fields left out keep their value. */
export class UpdateUserDto extends PartialType(
  PickType(CreateUserDto, ['displayName', 'email', 'role'] as const),
) {
  @VersionField()
  version?: number;

  @ApiPropertyOptional({ description: 'Disabling ends every session of the user at once.' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class SetPasswordDto {
  @ApiProperty({ description: 'The new password; ends every session of the user.' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class UserListQueryDto extends PickType(ListQueryDto, [
  'q',
  'sort',
  'limit',
  'cursor',
  'createdFrom',
  'createdTo',
] as const) {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class UserDto extends AuditedDto {
  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ example: 'Alice Meyer' })
  displayName: string;

  @ApiProperty({ nullable: true, type: String, example: 'alice@example.com' })
  email: string | null;

  @ApiProperty({ enum: ROLES, example: 'DEVELOPER' })
  role: string;

  @ApiProperty({ example: false })
  disabled: boolean;

  @ApiProperty({ example: true })
  mfaEnabled: boolean;

  @ApiProperty({ nullable: true, type: String, example: '2026-11-25T14:21:15.123Z' })
  lastLoginAt: string | null;
}

export class UserPageDto extends PageOf(UserDto) {}

export class UserSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ example: 'Alice Meyer' })
  displayName: string;
}
