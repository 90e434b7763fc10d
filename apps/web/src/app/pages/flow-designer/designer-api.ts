import { type FlowDetailDto, type FlowDraftDto } from '@integrixs/api-client';
import { type FlowContent } from '@integrixs/domain';

import { problemList, type ApiFailure } from '../../api/api-result';
import { type FlowsApi } from '../../api/flows-api.service';
import { type ConflictResolver } from '../../ui/conflict-dialog';
import { fieldProblems, KIND_LABELS, toSavable, type DesignerProblem } from './designer-state';

/** The graph a saved flow holds (the API's DTO types the same JSON the domain types describe). */
export function contentOf(flow: Pick<FlowDetailDto, 'nodes' | 'edges'>): FlowContent {
  return { nodes: flow.nodes, edges: flow.edges } as unknown as FlowContent;
}

/**
 * The content as the API's body. The generated client names trigger variants by their schema
 * titles; the domain types (the API validates with the same JSON Schemas) are the real shape.
 */
export function graphBody(content: FlowContent): Required<FlowDraftDto> {
  return toSavable(content) as unknown as Required<FlowDraftDto>;
}

/** A graph's fields for the conflict dialog: its steps, its edges, where the steps are. */
export function conflictFieldsOf(content: FlowContent): Record<string, unknown> {
  return {
    Steps: content.nodes.map((node) => `${node.id} (${KIND_LABELS[node.kind]})`).join(', '),
    Edges: content.edges
      .map((edge) => `${edge.from} → ${edge.to}${edge.branch ? ` [${edge.branch}]` : ''}`)
      .join(', '),
    'Step settings': content.nodes.map(({ position: _at, ...settings }) => settings),
    Positions: content.nodes
      .map((node) => `${node.id} ${node.position.x},${node.position.y}`)
      .join('; '),
  };
}

/** A 400 on the draft: its field errors as problems on the steps they name. */
export function draftProblems(content: FlowContent, failure: ApiFailure): DesignerProblem[] {
  return fieldProblems(content, problemList<{ path: string; message: string }>(failure, 'errors'));
}

/**
 * A save answered 412: the shared conflict dialog with the other user's version of the flow
 * (who, when, the steps, edges and settings that differ); resolves with the user's choice.
 */
export function resolveFlowConflict(
  conflicts: ConflictResolver,
  flows: FlowsApi,
  { packageId, flow, content }: { packageId: string; flow: FlowDetailDto; content: FlowContent },
) {
  return conflicts.resolve({
    what: `The flow ${flow.name}`,
    mine: conflictFieldsOf(content),
    loadTheirs: () => flows.get(packageId, flow.id),
    fieldsOf: (current) => conflictFieldsOf(contentOf(current)),
    describe: (current) => ({
      by: current.updatedByName ?? current.updatedBy,
      at: current.updatedAt,
      version: current.version,
    }),
  });
}
