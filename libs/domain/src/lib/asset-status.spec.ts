import { deleteRefusal, statusEditRefusal, statusesFor, type AssetStatus } from './asset-status';

describe('asset status rules', () => {
  const allowed: [AssetStatus, AssetStatus][] = [
    ['DRAFT', 'READY'],
    ['READY', 'DRAFT'],
    ['READY', 'ARCHIVED'],
    ['ARCHIVED', 'DRAFT'],
    ['DEPLOYED', 'DEPLOYED'],
  ];
  const refused: [AssetStatus, AssetStatus, RegExp][] = [
    ['DRAFT', 'DEPLOYED', /reached by deploying/],
    ['READY', 'SUSPENDED', /reached by deploying/],
    ['DEPLOYED', 'DRAFT', /changed by deploying, suspending or undeploying/],
    ['SUSPENDED', 'ARCHIVED', /changed by deploying, suspending or undeploying/],
  ];

  it.each(allowed)('allows editing %s → %s', (from, to) => {
    expect(statusEditRefusal(from, to)).toBeNull();
  });

  it.each(refused)('refuses editing %s → %s', (from, to, reason) => {
    expect(statusEditRefusal(from, to)).toMatch(reason);
  });

  it.each([
    ['DRAFT', null],
    ['READY', null],
    ['ARCHIVED', null],
    ['DEPLOYED', /undeploy it first/],
    ['SUSPENDED', /undeploy it first/],
  ] as const)('deleting a %s asset: %s', (status, expected) => {
    const refusal = deleteRefusal(status);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });

  it('gives flows the whole lifecycle and other assets the editable statuses', () => {
    expect(statusesFor('FLOW')).toEqual(['DRAFT', 'READY', 'DEPLOYED', 'SUSPENDED', 'ARCHIVED']);
    expect(statusesFor('SCHEMA')).toEqual(['DRAFT', 'READY', 'ARCHIVED']);
  });
});
