import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type FlowContent, type FlowProblem } from '@integrixs/domain';

import { type VisibilityScope } from '../identity/principal';
import { FlowValidator } from './flow-validator';

/** The flow a readiness check is about. */
export interface ReadinessSubject {
  id: string;
  packageId: string;
  content: FlowContent;
}

/**
 * The gate a flow passes to become READY (and, later, to be deployed). An empty answer passes.
 * Today it is graph validation only; the readiness slice adds the per-environment checklist
 * (resolved pins, adapter configuration and connection tests, mapping sample tests, the
 * caller's right to deploy) behind this same interface, so the transition does not change.
 */
export interface ReadinessChecker {
  check(
    m: EntityManager,
    flow: ReadinessSubject,
    visibility: VisibilityScope,
  ): Promise<FlowProblem[]>;
}

/** The Nest token the transition injects the checker by. */
export const READINESS_CHECKER = Symbol('ReadinessChecker');

/** The first readiness gate: the flow's graph is valid for the caller. */
@Injectable()
export class GraphReadinessChecker implements ReadinessChecker {
  constructor(private readonly validator: FlowValidator) {}

  async check(
    m: EntityManager,
    flow: ReadinessSubject,
    visibility: VisibilityScope,
  ): Promise<FlowProblem[]> {
    return (await this.validator.validate(m, flow.content, visibility)).problems;
  }
}
