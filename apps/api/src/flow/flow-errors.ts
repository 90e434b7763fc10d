import { type FlowProblem, type FlowState } from '@integrixs/domain';

import { AppError } from '../core/errors/app-error';
import { type ReadinessResult } from './readiness-types';

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

/**
 * 409: the readiness gate failed; `problems` lists the graph's problems (each naming its node)
 * and `readiness` the checklist of each environment checked, with what failed there.
 */
export class FlowNotReadyError extends AppError {
  readonly status = 409;
  readonly code = 'flow_not_ready';
  readonly title = 'The flow is not ready';

  constructor(problems: FlowProblem[], readiness: ReadinessResult[] = []) {
    const failed = readiness.flatMap((r) =>
      r.items.filter((i) => i.status === 'fail').map((i) => `${r.environment}: ${i.explanation}`),
    );
    const reasons = problems.length > 0 ? problems.map((p) => p.message) : failed;
    super(
      `the flow cannot become READY: ${reasons.length} problem(s): ${reasons
        .slice(0, 3)
        .join('; ')}${reasons.length > 3 ? '; …' : ''}`,
    );
    this.extensions['problems'] = problems;
    this.extensions['readiness'] = readiness;
  }
}
