import { type AssetStatus } from '../asset-status';

/**
 * The states of a flow, as tables (the API, the console and the tests read the same rows).
 *
 * A flow's lifecycle is its asset status: DRAFT (being built) → READY (its graph is valid and
 * the readiness gate passed) → ARCHIVED (no longer deployable, kept for audit; final). Editing
 * a READY flow's content returns it to DRAFT. Whether it runs is per environment: the
 * deployment states below, used by the deployments of a later slice.
 */
export const FLOW_STATES = ['DRAFT', 'READY', 'ARCHIVED'] as const satisfies readonly AssetStatus[];
export type FlowState = (typeof FLOW_STATES)[number];

export interface FlowTransition {
  from: FlowState;
  to: FlowState;
  /** What the console calls it. */
  action: 'markReady' | 'reopen' | 'archive';
  /** The readiness gate must pass before the move (ReadinessChecker in the API). */
  gated: boolean;
}

export const FLOW_TRANSITIONS: readonly FlowTransition[] = [
  { from: 'DRAFT', to: 'READY', action: 'markReady', gated: true },
  { from: 'READY', to: 'DRAFT', action: 'reopen', gated: false },
  { from: 'DRAFT', to: 'ARCHIVED', action: 'archive', gated: false },
  { from: 'READY', to: 'ARCHIVED', action: 'archive', gated: false },
];

/** The states a flow in `from` may move to, in table order. */
export function allowedFlowTransitions(from: FlowState): FlowState[] {
  return FLOW_TRANSITIONS.filter((t) => t.from === from).map((t) => t.to);
}

/** The transition from `from` to `to`, or undefined when the table has none. */
export function flowTransition(from: FlowState, to: FlowState): FlowTransition | undefined {
  return FLOW_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/** Why a flow may not move from `from` to `to` (naming the allowed moves), or null. */
export function flowTransitionRefusal(from: FlowState, to: FlowState): string | null {
  if (flowTransition(from, to)) return null;
  const allowed = allowedFlowTransitions(from);
  const then =
    allowed.length === 0
      ? `a ${from} flow does not change state any more`
      : `from ${from} a flow may move to ${allowed.join(' or ')}`;
  return `a flow cannot move from ${from} to ${to}: ${then}`;
}

/** Why a flow may not be archived while deployed in `deployedIn` (environment codes), or null. */
export function archiveRefusal(deployedIn: readonly string[]): string | null {
  return deployedIn.length === 0
    ? null
    : `the flow is deployed in ${deployedIn.join(', ')}: undeploy it there before archiving it`;
}

/** The state a flow's content edit leaves it in (a READY flow must be proven ready again). */
export function stateAfterEdit(state: FlowState): FlowState {
  return state === 'READY' ? 'DRAFT' : state;
}

/**
 * Per-environment deployment states (the deployments slice writes them): a flow not deployed
 * there is UNDEPLOYED; deploying needs a READY flow; DEPLOYED ⇄ SUSPENDED; undeploying (also
 * when the flow is archived) returns to UNDEPLOYED.
 */
export const DEPLOYMENT_STATES = ['UNDEPLOYED', 'DEPLOYED', 'SUSPENDED'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export interface DeploymentTransition {
  from: DeploymentState;
  to: DeploymentState;
  action: 'deploy' | 'suspend' | 'resume' | 'undeploy' | 'redeploy';
  /** The flow state the move needs, if any. */
  requiresFlow?: FlowState;
}

export const DEPLOYMENT_TRANSITIONS: readonly DeploymentTransition[] = [
  { from: 'UNDEPLOYED', to: 'DEPLOYED', action: 'deploy', requiresFlow: 'READY' },
  { from: 'DEPLOYED', to: 'DEPLOYED', action: 'redeploy', requiresFlow: 'READY' },
  { from: 'DEPLOYED', to: 'SUSPENDED', action: 'suspend' },
  { from: 'SUSPENDED', to: 'DEPLOYED', action: 'resume' },
  { from: 'DEPLOYED', to: 'UNDEPLOYED', action: 'undeploy' },
  { from: 'SUSPENDED', to: 'UNDEPLOYED', action: 'undeploy' },
];

/** Why a deployment in `from` may not move to `to` (naming the allowed moves), or null. */
export function deploymentTransitionRefusal(
  from: DeploymentState,
  to: DeploymentState,
  flow: FlowState,
): string | null {
  const move = DEPLOYMENT_TRANSITIONS.find((t) => t.from === from && t.to === to);
  if (move && (move.requiresFlow === undefined || move.requiresFlow === flow)) return null;
  if (move)
    return `only a ${move.requiresFlow} flow can be ${to.toLowerCase()} (this one is ${flow})`;
  const allowed = DEPLOYMENT_TRANSITIONS.filter((t) => t.from === from && t.to !== from).map(
    (t) => t.to,
  );
  return `a deployment cannot move from ${from} to ${to}: from ${from} it may move to ${allowed.join(' or ')}`;
}

/**
 * Why a deployment in `from` may not make the move named `action` (suspend, resume, undeploy…),
 * naming the allowed moves, or null. The route names the action, so a resume of a DEPLOYED
 * deployment is refused even though the table has DEPLOYED → DEPLOYED (as a redeploy).
 */
export function deploymentActionRefusal(
  from: DeploymentState,
  action: DeploymentTransition['action'],
  flow: FlowState,
): string | null {
  const move = DEPLOYMENT_TRANSITIONS.find((t) => t.from === from && t.action === action);
  if (move) return deploymentTransitionRefusal(from, move.to, flow);
  const allowed = DEPLOYMENT_TRANSITIONS.filter((t) => t.from === from && t.to !== from).map(
    (t) => `${t.action} (→ ${t.to})`,
  );
  return `a ${from} deployment cannot ${action}: from ${from} it may ${allowed.join(' or ')}`;
}
