import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { FLOW_PROBLEM_CODES, FLOW_STATES } from '@integrixs/domain';

import { AssetDetailDto } from '../../asset/dto/asset.dto';
import { FLOW_EDGE_ITEMS, FLOW_NODE_ITEMS } from '../flow-openapi';

export class FlowEdgeRefDto {
  @ApiProperty({ example: 'check' })
  from: string;

  @ApiProperty({ example: 'map' })
  to: string;
}

export class FlowProblemDto {
  @ApiProperty({ enum: FLOW_PROBLEM_CODES, example: 'unreachable' })
  code: string;

  @ApiProperty({ example: '"archive" (target) cannot be reached from the source "in"' })
  message: string;

  @ApiPropertyOptional({ example: 'archive', description: 'The node the problem is about.' })
  nodeId?: string;

  @ApiPropertyOptional({ type: FlowEdgeRefDto, description: 'The edge it is about, if any.' })
  edge?: FlowEdgeRefDto;
}

export class FlowReferenceDto {
  @ApiProperty({ example: 'in' })
  nodeId: string;

  @ApiProperty({ enum: ['adapter', 'schema', 'mapping'] })
  role: string;

  @ApiProperty({ format: 'uuid' })
  assetId: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Pinned version; null: latest.' })
  version: number | null;

  @ApiProperty({ description: 'The asset is in another package than the flow.' })
  crossPackage: boolean;
}

export class FlowDetailDto extends AssetDetailDto {
  @ApiProperty({ type: 'array', items: FLOW_NODE_ITEMS })
  nodes: Record<string, unknown>[];

  @ApiProperty({ type: 'array', items: FLOW_EDGE_ITEMS })
  edges: Record<string, unknown>[];

  @ApiProperty({
    type: [FlowProblemDto],
    description:
      'Graph problems of this version as saved (GET …/validation checks again now). A flow with problems can be saved as a draft but cannot become READY.',
  })
  problems: FlowProblemDto[];

  @ApiProperty({ description: 'No problems were found when this version was saved.' })
  valid: boolean;

  @ApiProperty({ type: [FlowReferenceDto] })
  references: FlowReferenceDto[];

  @ApiProperty({
    enum: FLOW_STATES,
    isArray: true,
    example: ['READY', 'ARCHIVED'],
    description: 'The states the flow may move to from its current one (POST …/transitions).',
  })
  allowedTransitions: string[];
}

export class FlowValidationDto {
  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty({ type: 'integer', example: 3, description: 'The content version checked.' })
  version: number;

  @ApiProperty()
  valid: boolean;

  @ApiProperty({ type: [FlowProblemDto] })
  problems: FlowProblemDto[];
}

export class FlowDraftValidationDto {
  @ApiProperty({ description: 'No problems were found in the draft.' })
  valid: boolean;

  @ApiProperty({ type: [FlowProblemDto] })
  problems: FlowProblemDto[];
}
