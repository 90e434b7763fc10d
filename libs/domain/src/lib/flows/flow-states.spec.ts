import { deleteRefusal } from '../asset-status';
import {
  allowedFlowTransitions,
  archiveRefusal,
  deploymentActionRefusal,
  deploymentTransitionRefusal,
  FLOW_STATES,
  flowTransitionRefusal,
  stateAfterEdit,
  type DeploymentState,
  type FlowState,
} from './flow-states';

describe('flow lifecycle transitions', () => {
  // Every pair of states: the table says which moves exist; everything else is refused.
  const allowed: Record<FlowState, FlowState[]> = {
    DRAFT: ['READY', 'ARCHIVED'],
    READY: ['DRAFT', 'ARCHIVED'],
    ARCHIVED: [],
  };
  const pairs = FLOW_STATES.flatMap((from) => FLOW_STATES.map((to) => [from, to] as const));

  it.each(pairs)('from %s to %s follows the table', (from, to) => {
    const refusal = flowTransitionRefusal(from, to);
    if (allowed[from].includes(to)) expect(refusal).toBeNull();
    else expect(refusal).toContain(`cannot move from ${from} to ${to}`);
  });

  it.each(FLOW_STATES)('a refusal from %s names the allowed moves', (from) => {
    expect(allowedFlowTransitions(from)).toEqual(allowed[from]);
    const refusal = flowTransitionRefusal(from, from) ?? '';
    for (const to of allowed[from]) expect(refusal).toContain(to);
    if (allowed[from].length === 0) expect(refusal).toContain('does not change state any more');
  });

  it.each([
    ['DRAFT', 'DRAFT'],
    ['READY', 'DRAFT'],
    ['ARCHIVED', 'ARCHIVED'],
  ] as const)('editing a %s flow leaves it %s', (state, after) => {
    expect(stateAfterEdit(state)).toBe(after);
  });
});

describe('deployment state transitions', () => {
  const ok: [DeploymentState, DeploymentState, FlowState][] = [
    ['UNDEPLOYED', 'DEPLOYED', 'READY'],
    ['DEPLOYED', 'DEPLOYED', 'READY'],
    ['DEPLOYED', 'SUSPENDED', 'READY'],
    ['SUSPENDED', 'DEPLOYED', 'READY'],
    ['DEPLOYED', 'UNDEPLOYED', 'ARCHIVED'],
    ['SUSPENDED', 'UNDEPLOYED', 'ARCHIVED'],
    ['DEPLOYED', 'SUSPENDED', 'ARCHIVED'],
  ];
  it.each(ok)('%s → %s is allowed for a %s flow', (from, to, flow) => {
    expect(deploymentTransitionRefusal(from, to, flow)).toBeNull();
  });

  it.each([
    ['UNDEPLOYED', 'DEPLOYED', 'DRAFT', 'only a READY flow'],
    ['UNDEPLOYED', 'DEPLOYED', 'ARCHIVED', 'only a READY flow'],
    ['UNDEPLOYED', 'SUSPENDED', 'READY', 'may move to DEPLOYED'],
    ['SUSPENDED', 'SUSPENDED', 'READY', 'may move to DEPLOYED or UNDEPLOYED'],
  ] as const)('%s → %s is refused for a %s flow, saying %s', (from, to, flow, says) => {
    expect(deploymentTransitionRefusal(from, to, flow)).toContain(says);
  });
});

describe('deployment actions and deployed flows', () => {
  it.each([
    ['DEPLOYED', 'suspend', null],
    ['SUSPENDED', 'resume', null],
    ['SUSPENDED', 'undeploy', null],
    [
      'DEPLOYED',
      'resume',
      'a DEPLOYED deployment cannot resume: from DEPLOYED it may suspend (→ SUSPENDED) or undeploy (→ UNDEPLOYED)',
    ],
    [
      'UNDEPLOYED',
      'suspend',
      'a UNDEPLOYED deployment cannot suspend: from UNDEPLOYED it may deploy (→ DEPLOYED)',
    ],
  ] as const)('%s: %s → %s', (from, action, refusal) => {
    expect(deploymentActionRefusal(from, action, 'READY')).toBe(refusal);
  });

  it('refuses to archive or delete a flow deployed somewhere, naming the environments', () => {
    expect(archiveRefusal([])).toBeNull();
    expect(archiveRefusal(['DEV', 'PROD'])).toContain('deployed in DEV, PROD');
    expect(deleteRefusal('READY')).toBeNull();
    expect(deleteRefusal('DRAFT', ['TEST'])).toContain('deployed in TEST');
  });
});
