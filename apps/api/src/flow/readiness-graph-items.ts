import { type EntityManager } from 'typeorm';

import { type FlowContent, type FlowProblem, type FlowProblemCode } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { breadthFirst } from '../dependency/graph-walk';
import { type VisibilityScope } from '../identity/principal';
import { named, nodesWithAssets, readableAssets, say } from './readiness-assets';
import { type ReadinessItem, type ReadinessItemKey } from './readiness-types';

/** Which checklist line each graph-validation problem belongs to. */
const KEY_OF: Partial<Record<FlowProblemCode, ReadinessItemKey>> = {
  asset_unavailable: 'dependencies',
  asset_not_live: 'dependencies',
  asset_type: 'dependencies',
  adapter_direction: 'dependencies',
  asset_version: 'pinned-versions',
  payload_mismatch: 'schema-compatibility',
};

const HINTS: Record<'graph' | 'dependencies' | 'pinned-versions' | 'schema-compatibility', string> =
  {
    graph: 'Fix the flow graph in the designer (GET …/validation lists every problem).',
    dependencies:
      'Point the step at a live asset of the right type you can read, or restore the asset.',
    'pinned-versions':
      "Pin a version the asset has (or none, to follow its current version) in the step's reference.",
    'schema-compatibility':
      'Make the schemas meet: bind the adapter or mapping to the schema the previous step produces, or add a map step between them.',
  };

/** The graph-validation problems that leave a node's asset unusable for further checks. */
export const UNUSABLE: ReadonlySet<FlowProblemCode> = new Set([
  'asset_unavailable',
  'asset_not_live',
  'asset_type',
  'asset_version',
  'adapter_direction',
]);

/**
 * The checklist lines graph validation answers (graph structure; dependencies resolved and live,
 * also transitively; pinned versions exist, also those the flow's assets pin; schema fit along
 * the flow), each failing line naming its node and the asset to fix when the caller can read it.
 */
export async function graphItems(
  m: EntityManager,
  flowId: string,
  content: FlowContent,
  problems: readonly FlowProblem[],
  visibility: VisibilityScope,
): Promise<ReadinessItem[]> {
  const byNode = new Map(nodesWithAssets(content).map((n) => [n.node.id, n.assetId]));
  const reached = (await breadthFirst(m, flowId, 'dependencies', 64)).reached;
  const transitive = [...reached.entries()].filter(([, r]) => r.depth >= 2).map(([id]) => id);
  const known = await readableAssets(m, [...byNode.values(), ...reached.keys()], visibility);
  const failed: ReadinessItem[] = [];
  for (const problem of problems) {
    const key = KEY_OF[problem.code] ?? 'graph';
    const assetId = problem.nodeId ? byNode.get(problem.nodeId) : undefined;
    // Payload problems are about the schemas of a step: the step's own asset is the one to fix.
    const asset =
      problem.code === 'asset_unavailable' ? undefined : named(known.get(assetId ?? ''));
    failed.push({
      key,
      status: 'fail',
      explanation: problem.message,
      fixHint: HINTS[key as keyof typeof HINTS],
      ...(asset ? { asset } : {}),
      ...(problem.nodeId ? { nodeId: problem.nodeId } : {}),
    });
  }
  // What the flow's assets use in turn must be live too (a mapping's schema, an adapter's WSDL).
  const gone = await queryRows<{ id: string; deleted: boolean; status: string }>(
    m,
    `SELECT id, deleted_at IS NOT NULL AS deleted, status FROM package_assets
      WHERE id = ANY($1::uuid[]) AND (deleted_at IS NOT NULL OR status = 'ARCHIVED')`,
    [transitive],
  );
  for (const row of gone) {
    const asset = known.get(row.id);
    const via = known.get(reached.get(row.id)?.parent ?? '');
    failed.push({
      key: 'dependencies',
      status: 'fail',
      explanation: `${say(via)} uses ${say(asset)}, which is ${row.deleted ? 'deleted' : 'archived'}`,
      fixHint: asset
        ? `Restore ${say(asset)} or change ${say(via)} to use a live asset.`
        : `Change ${say(via)} to use a live asset, or ask the owner of the asset it uses to restore it.`,
      ...(asset ? { asset: named(asset) } : via ? { asset: named(via) } : {}),
    });
  }
  // Pins the flow's assets keep (a mapping pinning a schema version) must name a version that exists.
  const pins = await queryRows<{ from_id: string; to_id: string; pinned: number }>(
    m,
    `SELECT d.from_asset_id AS from_id, d.to_asset_id AS to_id, d.pinned_version AS pinned
       FROM package_asset_dependencies d
      WHERE d.from_asset_id = ANY($1::uuid[]) AND d.from_asset_id <> $2
        AND d.pinned_version IS NOT NULL AND NOT d.transitive
        AND NOT EXISTS (SELECT 1 FROM asset_versions v
                         WHERE v.asset_id = d.to_asset_id AND v.version_number = d.pinned_version)`,
    [[...reached.keys()], flowId],
  );
  for (const pin of pins) {
    const asset = known.get(pin.to_id);
    const by = known.get(pin.from_id);
    failed.push({
      key: 'pinned-versions',
      status: 'fail',
      explanation: `${say(by)} pins version ${pin.pinned} of ${say(asset)}, which has no such version`,
      fixHint: `Change the pin in ${say(by)} to a version that exists.`,
      ...(by ? { asset: named(by) } : {}),
    });
  }
  const order: (keyof typeof HINTS)[] = [
    'graph',
    'dependencies',
    'pinned-versions',
    'schema-compatibility',
  ];
  return order.flatMap((key) => {
    const mine = failed.filter((i) => i.key === key);
    return mine.length > 0 ? mine : [passed(key)];
  });
}

const PASSED: Record<keyof typeof HINTS, string> = {
  graph:
    'The graph is complete: one source, every step reachable, no cycles, routes with a default.',
  dependencies: 'Every asset the flow uses, directly or through another asset, exists and is live.',
  'pinned-versions': 'Every pinned version exists.',
  'schema-compatibility': 'The payload each step produces is what the next step expects.',
};

function passed(key: keyof typeof HINTS): ReadinessItem {
  return { key, status: 'pass', explanation: PASSED[key], fixHint: null };
}
