import { type EntityManager } from 'typeorm';

import { type FlowAssetRef, type FlowContent, type FlowNode } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { ValidationError } from '../core/errors/app-error';
import { flowContentOf } from '../flow/flow-content';

/** One exact asset version a deployment runs: a line of the flow's lock file. */
export interface Pin {
  assetId: string;
  type: 'FLOW' | 'ADAPTER' | 'MAPPING' | 'SCHEMA';
  packageId: string;
  name: string;
  version: number;
}

/** The flow version's content and its pins. */
export interface LockFile {
  content: FlowContent;
  pins: Pin[];
}

/** Asset id → version: what a partial rollback pins differently from what the flow resolves. */
export type PinOverrides = Readonly<Record<string, number>>;

interface AssetRow {
  id: string;
  package_id: string;
  type: Pin['type'];
  name: string;
  current_version: number;
}

interface Wanted {
  assetId: string;
  version: number | null;
}

function nodeRefs(node: FlowNode): FlowAssetRef[] {
  switch (node.kind) {
    case 'source':
    case 'target':
      return [node.adapter];
    case 'errorHandler':
      return node.adapter ? [node.adapter] : [];
    case 'validate':
      return [node.schema];
    case 'map':
      return [node.mapping];
    default:
      return [];
  }
}

/** Writes the versions of `pins` into the flow's references: the content the gate checks. */
export function pinnedContent(content: FlowContent, pins: readonly Pin[]): FlowContent {
  const versions = new Map(pins.map((p) => [p.assetId, p.version]));
  const pin = <R extends FlowAssetRef>(ref: R): R => ({
    ...ref,
    version: versions.get(ref.assetId) ?? ref.version ?? null,
  });
  const nodes = content.nodes.map((node): FlowNode => {
    switch (node.kind) {
      case 'source':
      case 'target':
        return { ...node, adapter: pin(node.adapter) };
      case 'errorHandler':
        return node.adapter ? { ...node, adapter: pin(node.adapter) } : node;
      case 'validate':
        return { ...node, schema: pin(node.schema) };
      case 'map':
        return { ...node, mapping: pin(node.mapping) };
      default:
        return node;
    }
  });
  return { nodes, edges: content.edges };
}

/**
 * The flow's lock file: the exact version of every asset the flow version uses, transitively —
 * the adapters, schemas and mappings its nodes name (their pinned version, else the current one),
 * the schemas each pinned mapping version names, and what adapters and schemas refer to in the
 * asset graph (their binding and import edges, pinned or current). `overrides` replace the
 * version of an asset wherever it is reached (a partial rollback); one naming an asset the flow
 * does not use, or a version that does not exist, is a 400 naming `pins.<assetId>`. `preferred`
 * (the pins of the deployment a partial rollback starts from) stand in for "current" where the
 * flow does not pin a version itself, so only what the caller overrides changes.
 */
export async function resolveLockFile(
  m: EntityManager,
  flowId: string,
  flowVersion: number,
  overrides: PinOverrides = {},
  preferred: readonly Pin[] = [],
): Promise<LockFile> {
  const version = overrides[flowId] ?? flowVersion;
  const pins = new Map<string, Pin>();
  const content = flowContentOf(await contentAt(m, flowId, version, 'FLOW'));
  const soft = new Map(preferred.map((p) => [p.assetId, p.version]));
  await add(m, pins, [{ assetId: flowId, version }], overrides, soft);
  let frontier: Wanted[] = content.nodes.flatMap(nodeRefs).map((r) => ({
    assetId: r.assetId,
    version: r.version ?? null,
  }));
  while (frontier.length > 0) {
    const added = await add(m, pins, frontier, overrides, soft);
    frontier = [];
    for (const pin of added) frontier.push(...(await referencesOf(m, pin)));
  }
  for (const assetId of Object.keys(overrides))
    if (![...pins.values()].some((p) => p.assetId === assetId))
      throw ValidationError.of(`pins.${assetId}`, 'the flow does not use this asset', 'unused');
  const sorted = [...pins.values()].sort(
    (a, b) =>
      a.type.localeCompare(b.type) || a.assetId.localeCompare(b.assetId) || a.version - b.version,
  );
  return { content, pins: sorted };
}

/** Adds the wanted versions not pinned yet; returns the new pins. */
async function add(
  m: EntityManager,
  pins: Map<string, Pin>,
  wanted: Wanted[],
  overrides: PinOverrides,
  soft: ReadonlyMap<string, number>,
): Promise<Pin[]> {
  const ids = [...new Set(wanted.map((w) => w.assetId))];
  if (ids.length === 0) return [];
  const rows = await queryRows<AssetRow>(
    m,
    `SELECT id, package_id, type, name, current_version FROM package_assets
      WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const added: Pin[] = [];
  for (const w of wanted) {
    const row = byId.get(w.assetId);
    if (!row)
      throw ValidationError.of(
        `pins.${w.assetId}`,
        'the flow uses an asset that does not exist (any more); fix the flow first',
        'missing',
      );
    const version = overrides[w.assetId] ?? w.version ?? soft.get(w.assetId) ?? row.current_version;
    const key = `${w.assetId}@${version}`;
    if (pins.has(key)) continue;
    if (version !== row.current_version) await contentAt(m, w.assetId, version, row.type);
    const pin: Pin = {
      assetId: row.id,
      type: row.type,
      packageId: row.package_id,
      name: row.name,
      version,
    };
    pins.set(key, pin);
    added.push(pin);
  }
  return added;
}

async function contentAt(
  m: EntityManager,
  assetId: string,
  version: number,
  type: string,
): Promise<unknown> {
  const [row] = await queryRows<{ content: unknown }>(
    m,
    `SELECT content FROM asset_versions WHERE asset_id = $1 AND version_number = $2`,
    [assetId, version],
  );
  if (!row)
    throw ValidationError.of(
      `pins.${assetId}`,
      `${type.toLowerCase()} ${assetId} has no version ${version}`,
      'version',
    );
  return row.content;
}

/** What one pinned asset version refers to. */
async function referencesOf(m: EntityManager, pin: Pin): Promise<Wanted[]> {
  if (pin.type === 'MAPPING') {
    const content = (await contentAt(m, pin.assetId, pin.version, pin.type)) as Record<
      string,
      { assetId?: string; version?: number | null } | undefined
    >;
    return [content['sourceSchema'], content['targetSchema']]
      .filter(
        (ref): ref is { assetId: string; version?: number | null } =>
          typeof ref?.assetId === 'string',
      )
      .map((ref) => ({ assetId: ref.assetId, version: ref.version ?? null }));
  }
  if (pin.type !== 'ADAPTER' && pin.type !== 'SCHEMA') return [];
  const rows = await queryRows<{ to_asset_id: string; pinned_version: number | null }>(
    m,
    `SELECT to_asset_id, pinned_version FROM package_asset_dependencies
      WHERE from_asset_id = $1 AND kind IN ('ADAPTER_SCHEMA', 'SCHEMA_IMPORT')`,
    [pin.assetId],
  );
  return rows.map((r) => ({ assetId: r.to_asset_id, version: r.pinned_version }));
}

/**
 * An earlier deployment's lock file, to deploy it again elsewhere (a promotion): the same pins,
 * each checked to still exist (live asset, version present; 400 naming `pins.<assetId>`).
 */
export async function reproduceLockFile(
  m: EntityManager,
  flowId: string,
  flowVersion: number,
  pins: readonly Pin[],
): Promise<LockFile> {
  const content = flowContentOf(await contentAt(m, flowId, flowVersion, 'FLOW'));
  const live = await queryRows<{ id: string }>(
    m,
    `SELECT id FROM package_assets WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
    [[...new Set(pins.map((p) => p.assetId))]],
  );
  const ids = new Set(live.map((r) => r.id));
  for (const pin of pins) {
    if (!ids.has(pin.assetId))
      throw ValidationError.of(
        `pins.${pin.assetId}`,
        `${pin.name} does not exist any more`,
        'missing',
      );
    await contentAt(m, pin.assetId, pin.version, pin.type);
  }
  return { content, pins: [...pins] };
}
