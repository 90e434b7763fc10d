import { type EntityManager } from 'typeorm';

import { type FlowContent, type FlowNode } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { type ReadinessAsset } from './readiness-types';

/** An asset as the checklist may name it, with what the checks need to know of it. */
export interface KnownAsset extends ReadinessAsset {
  live: boolean;
  status: string;
}

/** The asset a node uses (at most one), or null. */
export function assetIdOf(node: FlowNode): string | null {
  switch (node.kind) {
    case 'source':
    case 'target':
      return node.adapter.assetId;
    case 'errorHandler':
      return node.adapter?.assetId ?? null;
    case 'validate':
      return node.schema.assetId;
    case 'map':
      return node.mapping.assetId;
    case 'route':
      return null;
  }
}

/**
 * The assets among `ids` the caller can read, by id. Assets they cannot read are absent, so a
 * checklist built from this map never names them (the one visibility rule).
 */
export async function readableAssets(
  m: EntityManager,
  ids: readonly string[],
  visibility: VisibilityScope,
): Promise<Map<string, KnownAsset>> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (unique.length === 0) return new Map();
  const params = new SqlParams([unique]);
  const visible = visiblePackagesSql(visibility, 'a.package_id', params.bind);
  const rows = await queryRows<KnownAsset>(
    m,
    `SELECT a.id, a.package_id AS "packageId", a.type, a.name, a.status,
            a.deleted_at IS NULL AS live
       FROM package_assets a WHERE a.id = ANY($1::uuid[]) AND ${visible}`,
    params.values,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** The checklist's view of an asset (only what the item names). */
export function named(asset: KnownAsset | undefined): ReadinessAsset | undefined {
  return asset
    ? { id: asset.id, packageId: asset.packageId, type: asset.type, name: asset.name }
    : undefined;
}

/** How an item speaks of an asset: its type and name, or nothing it may not reveal. */
export function say(asset: KnownAsset | undefined): string {
  return asset ? `${asset.type.toLowerCase()} "${asset.name}"` : 'an asset you cannot read';
}

/** The nodes of a flow with the asset each uses, in the flow's order. */
export function nodesWithAssets(content: FlowContent): { node: FlowNode; assetId: string }[] {
  return content.nodes.flatMap((node) => {
    const assetId = assetIdOf(node);
    return assetId ? [{ node, assetId: assetId.toLowerCase() }] : [];
  });
}
