import { type AssetType } from './asset-type';

/**
 * Lifecycle status of an asset. Flows use all five (seed: Draft → Ready → Deployed ⇄ Suspended →
 * Archived); the other asset types are DRAFT, READY or ARCHIVED.
 */
export const ASSET_STATUSES = ['DRAFT', 'READY', 'DEPLOYED', 'SUSPENDED', 'ARCHIVED'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/**
 * Statuses a user may set through the asset endpoints. DEPLOYED and SUSPENDED are reached only
 * through the deployment module, never by editing an asset.
 */
export const EDITABLE_ASSET_STATUSES = [
  'DRAFT',
  'READY',
  'ARCHIVED',
] as const satisfies readonly AssetStatus[];
export type EditableAssetStatus = (typeof EDITABLE_ASSET_STATUSES)[number];

/** Statuses that count as "active" for a flow (`/container/flows/active`). */
export const ACTIVE_FLOW_STATUSES: readonly AssetStatus[] = ['DEPLOYED'];

export function statusesFor(type: AssetType): readonly AssetStatus[] {
  return type === 'FLOW' ? ASSET_STATUSES : EDITABLE_ASSET_STATUSES;
}

/** Statuses owned by the deployment module: while in one, an asset's status cannot be edited. */
export const DEPLOYMENT_OWNED_STATUSES: readonly AssetStatus[] = ['DEPLOYED', 'SUSPENDED'];

/**
 * Why a user may not move an asset from `current` to `next` by editing it, or null when allowed.
 * (The deployment module has its own transitions; this rule only guards the asset endpoints.)
 */
export function statusEditRefusal(current: AssetStatus, next: AssetStatus): string | null {
  if (current === next) return null;
  if (DEPLOYMENT_OWNED_STATUSES.includes(current)) {
    return `the status of a ${current} asset is changed by deploying, suspending or undeploying it`;
  }
  if (!(EDITABLE_ASSET_STATUSES as readonly AssetStatus[]).includes(next)) {
    return `${next} is reached by deploying, not by editing`;
  }
  return null;
}

/** Why an asset may not be deleted in `status`, or null when it may. */
export function deleteRefusal(status: AssetStatus): string | null {
  return DEPLOYMENT_OWNED_STATUSES.includes(status)
    ? `a ${status} asset cannot be deleted; undeploy it first`
    : null;
}
