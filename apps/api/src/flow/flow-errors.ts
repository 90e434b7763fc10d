import { type FlowProblem, type FlowState } from '@integrixs/domain';

import { AppError } from '../core/errors/app-error';

/** 409: the state machine has no such move; names the moves it has (`allowed`). */
export class FlowTransitionError extends AppError {
  readonly status = 409;
  readonly code = 'illegal_transition';
  readonly title = 'The flow cannot make this state change';

  constructor(detail: string, from: FlowState, allowed: FlowState[]) {
    super(detail);
    this.extensions['state'] = from;
    this.extensions['allowed'] = allowed;
    this.errors.push({ path: 'to', message: detail, code: 'state' });
  }
}

/** 409: the readiness gate failed; `problems` says what to fix (each naming its node). */
export class FlowNotReadyError extends AppError {
  readonly status = 409;
  readonly code = 'flow_not_ready';
  readonly title = 'The flow is not ready';

  constructor(problems: FlowProblem[]) {
    super(
      `the flow cannot become READY: ${problems.length} problem(s): ${problems
        .slice(0, 3)
        .map((p) => p.message)
        .join('; ')}${problems.length > 3 ? '; …' : ''}`,
    );
    this.extensions['problems'] = problems;
  }
}
