import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

/** The environments (codes) a flow is deployed in: DEPLOYED or SUSPENDED there. */
export type DeployedIn = (m: EntityManager, flowId: string) => Promise<string[]>;

/**
 * Where a flow is deployed, for the rules flow/ applies itself (a deployed flow cannot be
 * deleted or archived). Deployments sit above flow/ (apps/api/eslint.config.mjs), so the
 * deployment module registers the lookup here when it starts; without it nothing is deployed.
 */
@Injectable()
export class FlowDeploymentLookup {
  private lookup: DeployedIn | undefined;

  register(lookup: DeployedIn): void {
    this.lookup = lookup;
  }

  deployedIn(m: EntityManager, flowId: string): Promise<string[]> {
    return this.lookup ? this.lookup(m, flowId) : Promise.resolve([]);
  }
}
