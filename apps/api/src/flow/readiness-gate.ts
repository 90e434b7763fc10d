import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type FlowProblem } from '@integrixs/domain';

import { visibilityOf, type Principal } from '../identity/principal';
import { FlowValidator } from './flow-validator';
import { type ReadinessItem, type ReadinessResult } from './readiness-types';
import { ReadinessService, type ReadinessFlow } from './readiness.service';

/** What the READY transition asks the gate. */
export interface ReadinessGateInput {
  manager: EntityManager;
  flow: ReadinessFlow;
  principal: Principal;
  /** Check this environment only; absent: the flow is ready when any environment passes. */
  environment?: string;
}

/** The gate's answer: passed when `passedIn` names an environment. */
export interface ReadinessGateVerdict {
  passedIn: string | null;
  /** Graph problems (each naming its node), as GET …/validation lists them. */
  problems: FlowProblem[];
  /** The checklist of every environment checked, in order (the last one passed, if any did). */
  results: ReadinessResult[];
}

/**
 * The gate a flow passes to become READY (FlowTransitions): the readiness checklist
 * (ReadinessService) passes in at least one environment — the one named, or else any of them,
 * tried in their configured order.
 * Who may deploy is not part of it (checked at deploy time); connection tests are judged by
 * their recent results, never run.
 */
@Injectable()
export class ReadyGate {
  constructor(
    private readonly validator: FlowValidator,
    private readonly readiness: ReadinessService,
  ) {}

  async check({
    manager,
    flow,
    principal,
    environment,
  }: ReadinessGateInput): Promise<ReadinessGateVerdict> {
    const { problems } = await this.validator.validate(
      manager,
      flow.content,
      visibilityOf(principal),
    );
    const environments = environment
      ? [await this.readiness.environment(environment, manager)]
      : await this.readiness.environmentsInOrder();
    const results: ReadinessResult[] = [];
    const mappingItems = new Map<string, Promise<ReadinessItem>>();
    // A graph with problems fails everywhere: one environment's checklist says why.
    for (const env of problems.length > 0 ? environments.slice(0, 1) : environments) {
      const result = await this.readiness.evaluate(flow, env, principal, {
        manager,
        purpose: 'ready',
        mappingItems,
      });
      results.push(result);
      if (result.ready) return { passedIn: env.code, problems, results };
    }
    return { passedIn: null, problems, results };
  }
}
