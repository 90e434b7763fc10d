/**
 * Lifecycle status of an asset, the same for every type: being written (DRAFT), finished
 * (READY), retired (ARCHIVED). Whether a flow is deployed or suspended is not an asset status:
 * deployment state is per environment and belongs to the deployments (flows issue).
 */
export const ASSET_STATUSES = ['DRAFT', 'READY', 'ARCHIVED'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** Statuses a user may set through the asset endpoints: all of them. */
export const EDITABLE_ASSET_STATUSES = ASSET_STATUSES;
export type EditableAssetStatus = AssetStatus;

/**
 * Why a user may not move an asset from `current` to `next` by editing it, or null when allowed.
 * Every move between the three statuses is allowed; the hook stays so that a later rule (the
 * deployment module refusing to archive a deployed flow, say) has one place to live.
 */
export function statusEditRefusal(current: AssetStatus, next: AssetStatus): string | null {
  if (current === next) return null;
  return (ASSET_STATUSES as readonly string[]).includes(next)
    ? null
    : `${String(next)} is not an asset status (allowed: ${ASSET_STATUSES.join(', ')})`;
}

/**
 * Why an asset may not be deleted in `status`, or null when it may. No status blocks it; a flow
 * deployed in some environments (`deployedIn`, their codes) cannot be deleted until undeployed.
 */
export function deleteRefusal(
  status: AssetStatus,
  deployedIn: readonly string[] = [],
): string | null {
  if (!(ASSET_STATUSES as readonly string[]).includes(status))
    return `an asset in status ${String(status)} cannot be deleted`;
  return deployedIn.length === 0
    ? null
    : `the flow is deployed in ${deployedIn.join(', ')}: undeploy it there before deleting it`;
}
