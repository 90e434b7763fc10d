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
 * The graph part of the readiness gate (an empty answer passes), kept for callers that only need
 * the graph's problems. The whole per-environment checklist (adapters configured and tested,
 * mappings complete with passing samples, who may deploy) is ReadinessService.check / evaluate;
 * the READY transition goes through ReadyGate (readiness-gate.ts).
 */
export interface ReadinessChecker {
  check(
    m: EntityManager,
    flow: ReadinessSubject,
    visibility: VisibilityScope,
  ): Promise<FlowProblem[]>;
}

/** The Nest token the graph checker is injected by. */
export const READINESS_CHECKER = Symbol('ReadinessChecker');

/** The flow's graph is valid for the caller. */
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
