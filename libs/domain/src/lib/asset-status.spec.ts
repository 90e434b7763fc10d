import {
  ASSET_STATUSES,
  deleteRefusal,
  EDITABLE_ASSET_STATUSES,
  statusEditRefusal,
  type AssetStatus,
} from './asset-status';

describe('asset status rules', () => {
  it('has three statuses, all editable: deployment state is not an asset status', () => {
    expect(ASSET_STATUSES).toEqual(['DRAFT', 'READY', 'ARCHIVED']);
    expect(EDITABLE_ASSET_STATUSES).toEqual(ASSET_STATUSES);
    expect(ASSET_STATUSES).not.toContain('DEPLOYED');
    expect(ASSET_STATUSES).not.toContain('SUSPENDED');
  });

  const moves: [AssetStatus, AssetStatus][] = ASSET_STATUSES.flatMap((from) =>
    ASSET_STATUSES.map((to): [AssetStatus, AssetStatus] => [from, to]),
  );

  it.each(moves)('allows editing %s → %s', (from, to) => {
    expect(statusEditRefusal(from, to)).toBeNull();
  });

  it('refuses a value that is no longer a status (a stale client sending DEPLOYED)', () => {
    expect(statusEditRefusal('READY', 'DEPLOYED' as AssetStatus)).toMatch(
      /DEPLOYED is not an asset status \(allowed: DRAFT, READY, ARCHIVED\)/,
    );
  });

  it.each(ASSET_STATUSES)('lets a %s asset be deleted', (status) => {
    expect(deleteRefusal(status)).toBeNull();
  });

  // The hooks the flows issue will give rules (a deployed flow may not be archived or deleted):
  // today they refuse only values outside the model, which the DTO validation refuses first.
  it.each([
    ['DEPLOYED', 'an asset in status DEPLOYED cannot be deleted'],
    ['SUSPENDED', 'an asset in status SUSPENDED cannot be deleted'],
  ])('refuses deleting an asset in %s, a value that is not an asset status', (status, refusal) => {
    expect(deleteRefusal(status as AssetStatus)).toBe(refusal);
  });
});
