import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

import { PASSWORD_MAX_LENGTH, PERMISSIONS, ROLES } from '@integrixs/domain';

/** Where the refresh token goes: an httpOnly cookie (the console) or the response body (API clients). */
const SESSION_MODES = ['cookie', 'body'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

class SessionModeField {
  @ApiPropertyOptional({
    enum: SESSION_MODES,
    default: 'body',
    description:
      '"cookie": the refresh token is set as an httpOnly cookie and left out of the body.',
  })
  @IsOptional()
  @IsIn(SESSION_MODES)
  session?: SessionMode;
}

export class LoginDto extends SessionModeField {
  @ApiProperty({ example: 'demo' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'integrixs-demo' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password: string;
}

export class LoginMfaDto extends SessionModeField {
  @ApiProperty({ description: 'The `mfaToken` from POST /api/auth/login.' })
  @IsString()
  @MaxLength(2000)
  mfaToken: string;

  @ApiProperty({ example: '123456', description: 'A current TOTP code, or a recovery code.' })
  @IsString()
  @Length(6, 32)
  code: string;
}

export class RefreshDto extends SessionModeField {
  @ApiPropertyOptional({ description: 'The refresh token, unless it travels in the cookie.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;
}

export class LogoutDto {
  @ApiPropertyOptional({
    description: 'The refresh token of the session to end, unless it travels in the cookie.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;
}

export class ChangePasswordDto extends SessionModeField {
  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty({
    description: 'At least 12 characters, not a common password, not containing the username.',
  })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}

export class PasswordDto {
  @ApiProperty({ description: 'Your current password (re-authentication).' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password: string;
}

export class MfaCodeDto {
  @ApiProperty({
    example: '123456',
    description: 'A current TOTP code (or, where accepted, a recovery code).',
  })
  @IsString()
  @Length(6, 32)
  code: string;
}

export class PasswordAndCodeDto extends PasswordDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Length(6, 32)
  code: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'demo' })
  username: string;

  @ApiProperty({ example: 'Demo Developer' })
  displayName: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  email: string | null;

  @ApiProperty({ enum: ROLES, example: 'DEVELOPER' })
  role: string;

  @ApiProperty({ example: false })
  mfaEnabled: boolean;

  @ApiProperty({
    description: 'Administrators must enrol MFA before doing anything else.',
    example: false,
  })
  mfaEnrollmentRequired: boolean;

  @ApiProperty({
    enum: PERMISSIONS,
    isArray: true,
    description: 'Global permissions of your role.',
  })
  permissions: string[];
}

export class SessionDto {
  @ApiProperty({ description: 'Bearer token for the Authorization header.' })
  accessToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: string;

  @ApiProperty({
    type: 'integer',
    example: 900,
    description: 'Seconds until the access token expires.',
  })
  expiresIn: number;

  @ApiProperty({ nullable: true, type: String, description: 'Null when it was set as a cookie.' })
  refreshToken: string | null;

  @ApiProperty({ example: '2026-12-02T14:21:15.123Z' })
  refreshExpiresAt: string;

  @ApiProperty({ type: MeDto })
  user: MeDto;
}

export class LoginResultDto {
  @ApiProperty({
    description: 'True when a second factor is needed: POST /api/auth/login/mfa with `mfaToken`.',
  })
  mfaRequired: boolean;

  @ApiProperty({ nullable: true, type: String })
  mfaToken: string | null;

  @ApiProperty({ nullable: true, type: SessionDto })
  session: SessionDto | null;
}

export class AccessTokenDto {
  @ApiProperty()
  accessToken: string;

  @ApiProperty({ type: 'integer', example: 900 })
  expiresIn: number;
}

export class MfaEnrolmentDto {
  @ApiProperty({ description: 'Base32 secret, for manual entry.', example: 'JBSWY3DPEHPK3PXP' })
  secret: string;

  @ApiProperty({
    example: 'otpauth://totp/Integrixs:demo?secret=JBSWY3DPEHPK3PXP&issuer=Integrixs',
  })
  otpauthUri: string;

  @ApiProperty({ description: 'The otpauth URI as a PNG QR code (data: URL).' })
  qrCodeDataUrl: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    description: 'Ten single-use codes, shown once.',
    example: ['ABCD-EFGH-JKLM-NPQR'],
  })
  recoveryCodes: string[];
}

export class MfaConfirmedDto extends RecoveryCodesDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'A fresh access token counting as MFA-confirmed.',
  })
  accessToken: string | null;

  @ApiProperty({ type: 'integer', example: 900 })
  expiresIn: number;
}
