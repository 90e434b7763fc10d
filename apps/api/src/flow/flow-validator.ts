import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type FlowContent, type FlowProblem } from '@integrixs/domain';

import { type DependencyEdge } from '../dependency/dependency.service';
import { type VisibilityScope } from '../identity/principal';
import { graphProblems } from './flow-graph';
import { FlowReferences } from './flow-references';

/** A flow's graph checked: its problems (empty: valid) and the dependency edges it implies. */
export interface FlowValidation {
  problems: FlowProblem[];
  edges: DependencyEdge[];
}

/**
 * Graph validation of a flow (run on every save, by GET …/validation and by the READY
 * transition): the structural rules (flow-graph.ts) and the references with payload fit
 * (flow-references.ts), as seen by the caller (assets they cannot read are never named).
 */
@Injectable()
export class FlowValidator {
  constructor(private readonly references: FlowReferences) {}

  async validate(
    m: EntityManager,
    content: FlowContent,
    visibility: VisibilityScope,
  ): Promise<FlowValidation> {
    const structural = graphProblems(content);
    const { problems, edges } = await this.references.check(m, content, visibility);
    return { problems: [...structural, ...problems], edges };
  }
}
