import { DEPLOYMENT_TRANSITIONS, type DeploymentState, type FlowState } from '@integrixs/domain';

import { AppError } from '../core/errors/app-error';

/** The states a deployment in `from` may move to (DEPLOYMENT_TRANSITIONS, table order). */
export function allowedDeploymentStates(from: DeploymentState): DeploymentState[] {
  return [
    ...new Set(
      DEPLOYMENT_TRANSITIONS.filter((t) => t.from === from && t.to !== from).map((t) => t.to),
    ),
  ];
}

/** 409: the deployment state machine has no such move (or the flow is not in the state it needs). */
export class DeploymentTransitionError extends AppError {
  readonly status = 409;
  readonly code = 'illegal_transition';
  readonly title = 'The deployment cannot make this state change';

  constructor(detail: string, from: DeploymentState, flow: FlowState) {
    super(detail);
    this.extensions['state'] = from;
    this.extensions['flowState'] = flow;
    this.extensions['allowed'] = allowedDeploymentStates(from);
  }
}
