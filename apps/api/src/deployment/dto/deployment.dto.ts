import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';

import { DEPLOYMENT_STATES, type DeploymentState } from '@integrixs/domain';

import { PageOf } from '../../core/http/audited.dto';
import { PageQueryDto } from '../../core/listing/list-query.dto';

export class DeployFlowDto {
  @ApiProperty({ example: 'DEV', description: 'The environment code to deploy to.' })
  @IsString()
  @Length(1, 32)
  environment: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    example: { '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f': 2 },
    description:
      'Partial rollback: asset id → version, overriding what the deployment would pin for that asset (also the flow itself). The base is the environment’s active deployment (its pins), else the flow’s current version. The gate runs again against the result.',
  })
  @IsOptional()
  @IsObject()
  pins?: Record<string, number>;
}

export class HistoryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: 'PROD',
    description: 'Only the deployments to this environment.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  environment?: string;
}

export class DriftQueryDto {
  @ApiProperty({ example: 'DEV' })
  @IsString()
  @Length(1, 32)
  from: string;

  @ApiProperty({ example: 'PROD' })
  @IsString()
  @Length(1, 32)
  to: string;
}

export class PromoteDeploymentDto {
  @ApiProperty({ example: 'TEST', description: 'The environment to deploy the same pin set to.' })
  @IsString()
  @Length(1, 32)
  to: string;
}

export class PinDto {
  @ApiProperty({ format: 'uuid' })
  assetId: string;

  @ApiProperty({ enum: ['FLOW', 'ADAPTER', 'MAPPING', 'SCHEMA'] })
  type: 'FLOW' | 'ADAPTER' | 'MAPPING' | 'SCHEMA';

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ example: 'UBL invoice', description: 'The asset name when deployed.' })
  name: string;

  @ApiProperty({ type: 'integer', example: 3 })
  version: number;
}

export class DeploymentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty({ type: 'integer', description: 'The flow version deployed.' })
  flowVersion: number;

  @ApiProperty({
    type: [PinDto],
    description:
      'The lock file: the exact version of every asset the flow uses, transitively (the flow itself included). Never changes after the deployment is written.',
  })
  pins: PinDto[];

  @ApiProperty({ enum: ['DEPLOY', 'PARTIAL_ROLLBACK', 'PROMOTE'] })
  origin: string;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The deployment this one was promoted or partially rolled back from.',
  })
  basedOn: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ description: 'Who deployed (user id, or system).' })
  createdBy: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'Their username, when a user.' })
  createdByName: string | null;

  @ApiProperty({
    enum: DEPLOYMENT_STATES,
    description: 'DEPLOYED or SUSPENDED while active; UNDEPLOYED once replaced or undeployed.',
  })
  state: DeploymentState;

  @ApiProperty({ description: 'The active deployment of the flow in its environment.' })
  active: boolean;

  @ApiProperty({ format: 'date-time' })
  stateChangedAt: string;

  @ApiProperty()
  stateChangedBy: string;
}

/** A flow's deployment history, newest first. */
export class DeploymentListDto extends PageOf(DeploymentDto) {}

export class DriftItemDto {
  @ApiProperty({ format: 'uuid' })
  assetId: string;

  @ApiProperty({ enum: ['FLOW', 'ADAPTER', 'MAPPING', 'SCHEMA'] })
  type: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: 'integer', isArray: true, description: 'Versions pinned in `from`.' })
  from: number[];

  @ApiProperty({ type: 'integer', isArray: true, description: 'Versions pinned in `to`.' })
  to: number[];
}

export class DriftDto {
  @ApiProperty({ example: 'DEV' })
  from: string;

  @ApiProperty({ example: 'PROD' })
  to: string;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  fromDeploymentId: string | null;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  toDeploymentId: string | null;

  @ApiProperty({ description: 'Both environments run the same pin set.' })
  inSync: boolean;

  @ApiProperty({ type: [DriftItemDto], description: 'Assets pinned differently (or only in one).' })
  differences: DriftItemDto[];
}

export class ActiveFlowDto {
  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty()
  flowName: string;

  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty({ format: 'uuid' })
  deploymentId: string;

  @ApiProperty({ enum: ['DEPLOYED', 'SUSPENDED'] })
  state: string;

  @ApiProperty({ type: 'integer' })
  flowVersion: number;

  @ApiProperty({ format: 'date-time' })
  deployedAt: string;

  @ApiProperty()
  deployedBy: string;
}

export class ActiveFlowListDto {
  @ApiProperty({ type: [ActiveFlowDto], description: 'By flow name, then environment order.' })
  items: ActiveFlowDto[];
}
