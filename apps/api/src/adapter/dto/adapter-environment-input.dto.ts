import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

import { IsStorableJson } from '../../asset/dto/storable-json.validator';
import { OptionalBody } from '../../core/http/strict-validation.pipe';

export const ENVIRONMENT_CODE = /^[A-Z][A-Z0-9_]{0,31}$/;

export class EnvironmentQueryDto {
  @ApiProperty({ example: 'DEV', description: 'Environment code.' })
  @IsString()
  @Matches(ENVIRONMENT_CODE, { message: 'must be an environment code such as DEV or PROD' })
  environment: string;
}

export class PromotionQueryDto {
  @ApiProperty({ example: 'DEV' })
  @IsString()
  @Matches(ENVIRONMENT_CODE, { message: 'must be an environment code such as DEV or PROD' })
  from: string;

  @ApiProperty({ example: 'PROD' })
  @IsString()
  @Matches(ENVIRONMENT_CODE, { message: 'must be an environment code such as DEV or PROD' })
  to: string;
}

export class PutOverlayDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { host: 'sftp.prod.example.com', remoteFolder: '/prod/outbound' },
    description:
      'Values merged over the base configuration (objects key by key; null removes a base value). Secret fields are refused here: set them with POST …/credentials.',
  })
  @IsObject()
  @IsStorableJson()
  values: Record<string, unknown>;
}

export class CredentialsDto {
  @ApiProperty({ example: 'PROD' })
  @IsString()
  @Matches(ENVIRONMENT_CODE, { message: 'must be an environment code such as DEV or PROD' })
  environment: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { '/password': 'n3w-s3cret' },
    description: 'Secret values by JSON pointer (`/password`, `/auth/token`); write-only.',
  })
  @IsObject()
  secrets: Record<string, string>;
}

/** What a connection test may be given; the body may be left out. */
@OptionalBody()
export class SendTestToDto {
  @ApiPropertyOptional({ description: 'EMAIL only: send a test message to this address.' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  sendTestTo?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { firstName: 'Ada' },
    description:
      "SOAP only: call the operation with this input (the message's parts as JSON); left out, the operation is found but not called.",
  })
  @IsOptional()
  @IsObject()
  callWith?: Record<string, unknown>;
}
