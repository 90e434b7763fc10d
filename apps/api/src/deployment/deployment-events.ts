import { type EntityManager } from 'typeorm';

import { type DeploymentState } from '@integrixs/domain';

import { writeAudit } from '../core/audit/audit-writer';
import { type DeploymentRow } from './deployment-rows';

/** The channel every deployment event is NOTIFYed on (at commit; the payload holds ids only). */
export const DEPLOYMENTS_CHANNEL = 'integrixs_deployments';

export const DEPLOYMENT_EVENTS = [
  'DEPLOYED',
  'PARTIAL_ROLLBACK',
  'PROMOTED',
  'ROLLED_BACK',
  'SUSPENDED',
  'RESUMED',
  'UNDEPLOYED',
  'SUPERSEDED',
] as const;
export type DeploymentEvent = (typeof DEPLOYMENT_EVENTS)[number];

/** What listeners receive: JSON of ids (read the rest through the API, with its access rules). */
export interface DeploymentNotification {
  event: DeploymentEvent;
  deploymentId: string;
  flowId: string;
  packageId: string;
  environmentId: string;
}

/**
 * Records one deployment event in the caller's transaction: an audit row (entity type
 * `deployment`) and a NOTIFY on DEPLOYMENTS_CHANNEL, both committed or rolled back with the
 * change they describe, so listeners (the console's live updates, the runtime) never hear of a
 * change that did not happen.
 */
export async function recordDeploymentEvent(
  m: EntityManager,
  event: DeploymentEvent,
  row: Pick<DeploymentRow, 'id' | 'flow_id' | 'package_id' | 'environment_id' | 'environment'>,
  state: { before: DeploymentState | null; after: DeploymentState },
  extra: Record<string, unknown> = {},
): Promise<void> {
  await writeAudit(m, [
    {
      action: state.before === null ? 'CREATE' : 'UPDATE',
      entityType: 'deployment',
      entityId: row.id,
      packageId: row.package_id,
      changes: {
        event: { after: event },
        flowId: { after: row.flow_id },
        environment: { after: row.environment },
        state: state.before === null ? { after: state.after } : state,
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { after: v }])),
      },
    },
  ]);
  const payload: DeploymentNotification = {
    event,
    deploymentId: row.id,
    flowId: row.flow_id,
    packageId: row.package_id,
    environmentId: row.environment_id,
  };
  await m.query(`SELECT pg_notify($1, $2)`, [DEPLOYMENTS_CHANNEL, JSON.stringify(payload)]);
}
