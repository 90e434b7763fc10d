import { ApiProperty, ApiPropertyOptional, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { IsArray, IsIn, IsObject, IsOptional, IsString, Matches } from 'class-validator';

import { FLOW_STATES, type FlowState } from '@integrixs/domain';

import { ENVIRONMENT_CODE } from '../../adapter/dto/adapter-environment-input.dto';
import { CreateAssetDto } from '../../asset/dto/create-asset.dto';
import { IsStorableJson } from '../../asset/dto/storable-json.validator';
import { VersionField } from '../../core/http/common-fields';
import { FLOW_EDGE_ITEMS, FLOW_NODE_ITEMS } from '../flow-openapi';

const NODES_DOC =
  'The steps: `{ id, kind, position: { x, y }, label?, …kind settings }` with kind `source` (`adapter: { assetId, version? }`, `trigger: { type: schedule|poll|http|manual, cron? | intervalSeconds? }`), `validate` (`schema: { assetId, version?, root? }`), `map` (`mapping`), `route` (`routes: [{ branch, when }]` JSONata predicates in order, `defaultBranch`), `target` (`adapter`), `errorHandler` (`destination: deadLetter|adapter`, `adapter?`). `version` pins an asset version; absent or null follows its current one. JSON Schemas: FLOW_NODE_SCHEMAS in @integrixs/domain; a shape error is a 400 naming the field by JSON pointer.';

const EDGES_DOC =
  'From one node to the next: `{ from, to, branch? }` (node ids; `branch` names the route branch an edge leaving a route carries).';

export class CreateFlowDto extends OmitType(CreateAssetDto, ['content', 'status'] as const) {
  @ApiPropertyOptional({
    type: 'array',
    items: FLOW_NODE_ITEMS,
    description: NODES_DOC,
    example: [
      {
        id: 'in',
        kind: 'source',
        position: { x: 0, y: 0 },
        adapter: { assetId: '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f' },
        trigger: { type: 'schedule', cron: '*/5 * * * *' },
      },
    ],
  })
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  @IsStorableJson()
  nodes?: Record<string, unknown>[];

  @ApiPropertyOptional({
    type: 'array',
    items: FLOW_EDGE_ITEMS,
    description: EDGES_DOC,
    example: [{ from: 'in', to: 'check' }],
  })
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  @IsStorableJson()
  edges?: Record<string, unknown>[];
}

/** Fields left out keep their value; a changed graph makes a new version (READY → DRAFT). */
export class UpdateFlowDto extends PartialType(CreateFlowDto) {
  @VersionField()
  version?: number;
}

/** An unsaved graph to check (the designer's draft): the same fields as a flow's body. */
export class FlowDraftDto extends PickType(CreateFlowDto, ['nodes', 'edges'] as const) {}

export class FlowTransitionDto {
  @ApiProperty({ enum: FLOW_STATES, example: 'READY', description: 'The state to move to.' })
  @IsIn(FLOW_STATES)
  to: FlowState;

  @VersionField()
  version?: number;

  @ApiPropertyOptional({
    example: 'DEV',
    description:
      'With `to: READY`: the environment whose readiness checklist must pass. Absent: READY when the checklist passes in any environment (tried in their configured order).',
  })
  @IsOptional()
  @IsString()
  @Matches(ENVIRONMENT_CODE, { message: 'must be an environment code such as DEV or PROD' })
  environment?: string;
}
