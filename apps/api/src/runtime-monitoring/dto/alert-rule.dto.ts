import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { NameField } from '../../core/http/common-fields';

export const ALERT_KINDS = ['ERROR_RATE', 'DEAD_LETTERS', 'STUCK_QUEUE', 'HEALTH_CHECK'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_STATES = ['FIRING', 'RESOLVED'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

const KIND_DESCRIPTION =
  'ERROR_RATE: more than `threshold` % of the messages received in the last `windowMinutes` were dead-lettered. ' +
  'DEAD_LETTERS: at least `threshold` (min. 1) new dead letters in the last `windowMinutes`. ' +
  'STUCK_QUEUE: at least `threshold` (min. 1) messages waiting longer than `windowMinutes`. ' +
  'HEALTH_CHECK: an active deployment failed its post-deployment health check (`threshold` and `windowMinutes` unused). ' +
  'One alert per flow (per deployment for HEALTH_CHECK).';

export class AlertRuleDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ example: 'Invoices failing in PROD' })
  name: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null: every flow of the package',
  })
  flowId: string | null;

  @ApiProperty({ example: 'PROD' })
  environment: string;

  @ApiProperty({ enum: ALERT_KINDS, description: KIND_DESCRIPTION })
  kind: AlertKind;

  @ApiProperty({ example: 10 })
  threshold: number;

  @ApiProperty({ example: 5 })
  windowMinutes: number;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://hooks.example.com',
    description:
      "The webhook's origin only: its path and query may hold a token and are never answered.",
  })
  webhookOrigin: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'An EMAIL adapter of the package (SMTP)',
  })
  emailAdapterId: string | null;

  @ApiProperty({ type: [String], example: ['ops@example.com'] })
  emailRecipients: string[];

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty()
  createdBy: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty()
  updatedBy: string;
}

export class AlertRuleListDto {
  @ApiProperty({ type: [AlertRuleDto] })
  items: AlertRuleDto[];
}

const ENVIRONMENT_CODE = /^[A-Z][A-Z0-9_]{0,31}$/;

/** The fields a rule is written with; every one optional in a PATCH. */
class AlertRuleFields {
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'A flow of the package; null or absent: every flow',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a flow id (uuid)' })
  flowId?: string | null;

  @ApiPropertyOptional({ example: 10, minimum: 0, maximum: 1_000_000 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  threshold?: number;

  @ApiPropertyOptional({ example: 5, minimum: 1, maximum: 10080, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  windowMinutes?: number;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'https://hooks.example.com/services/T000/B000/XXXX',
    description:
      'Receives a JSON POST when an alert fires and when it resolves (outbound target policy applies). null removes it.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http:// or https:// URL' },
  )
  webhookUrl?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      "An EMAIL adapter of the package whose SMTP settings (for the rule's environment) send the alert. null removes it.",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be an adapter id (uuid)' })
  emailAdapterId?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['ops@example.com'], maxItems: 50 })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true, message: 'must be e-mail addresses' })
  emailRecipients?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class CreateAlertRuleDto extends AlertRuleFields {
  @NameField({ required: true, example: 'Invoices failing in PROD' })
  name: string;

  @ApiProperty({ example: 'PROD', pattern: ENVIRONMENT_CODE.source })
  @IsString()
  @Matches(ENVIRONMENT_CODE, { message: 'must be an environment code such as DEV or PROD' })
  environment: string;

  @ApiProperty({ enum: ALERT_KINDS, description: KIND_DESCRIPTION })
  @IsIn(ALERT_KINDS)
  kind: AlertKind;
}

export class UpdateAlertRuleDto extends AlertRuleFields {
  @NameField({ required: false, example: 'Invoices failing in PROD' })
  name?: string;

  @ApiPropertyOptional({ example: 'PROD', pattern: ENVIRONMENT_CODE.source })
  @IsOptional()
  @IsString()
  @Matches(ENVIRONMENT_CODE, { message: 'must be an environment code such as DEV or PROD' })
  environment?: string;

  @ApiPropertyOptional({ enum: ALERT_KINDS, description: KIND_DESCRIPTION })
  @IsOptional()
  @IsIn(ALERT_KINDS)
  kind?: AlertKind;
}

export class AlertDetailDto {
  @ApiProperty({
    example: 'Invoices: 3 of 10 messages dead-lettered (30%) in 5 min, threshold 10%',
  })
  summary: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  flowId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  deploymentId: string | null;

  @ApiProperty({ description: 'The measured value (percentage, count)' })
  value: number;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  ruleId: string;

  @ApiProperty()
  ruleName: string;

  @ApiProperty({ enum: ALERT_KINDS })
  kind: AlertKind;

  @ApiProperty({ example: 'PROD' })
  environment: string;

  @ApiProperty({
    example: 'flow:7a0c…',
    description: 'What the alert is about within its rule (a flow, a deployment)',
  })
  dedupeKey: string;

  @ApiProperty({ enum: ALERT_STATES })
  state: AlertState;

  @ApiProperty({ format: 'date-time' })
  firstFiredAt: string;

  @ApiProperty({ format: 'date-time', description: 'The last evaluation that found it firing' })
  lastFiredAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resolvedAt: string | null;

  @ApiProperty({ type: AlertDetailDto })
  detail: AlertDetailDto;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The last delivery failure (retried at the next evaluation)',
  })
  deliveryError: string | null;
}

export class AlertListDto {
  @ApiProperty({ type: [AlertDto] })
  items: AlertDto[];
}

export class AlertListQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATES })
  @IsOptional()
  @IsIn(ALERT_STATES)
  state?: AlertState;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export const HEALTH_STATUSES = [
  'NOT_WATCHED',
  'WATCHING',
  'HEALTHY',
  'FAILING',
  'NO_TRAFFIC',
] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export class DeploymentHealthDto {
  @ApiProperty({ format: 'uuid' })
  deploymentId: string;

  @ApiProperty({
    enum: HEALTH_STATUSES,
    description:
      'WATCHING its first messages after it became DEPLOYED; HEALTHY or FAILING (more failed than RUNTIME_HEALTH_CHECK_ERROR_RATE %); NO_TRAFFIC: nothing arrived in the watch window; NOT_WATCHED: deployed before monitoring watched it',
  })
  status: HealthStatus;

  @ApiProperty({ description: 'How many first messages decide (RUNTIME_HEALTH_CHECK_MESSAGES)' })
  watchMessages: number;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  watchUntil: string | null;

  @ApiProperty()
  messagesSeen: number;

  @ApiProperty({ description: 'Watched messages whose first attempt failed' })
  messagesFailed: number;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  decidedAt: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The deployment an automatic rollback re-activated',
  })
  rolledBackTo: string | null;

  @ApiProperty({ nullable: true, type: String })
  detail: string | null;
}
