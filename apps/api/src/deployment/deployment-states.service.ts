import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { deploymentActionRefusal, type DeploymentState } from '@integrixs/domain';

import { lockAsset } from '../asset/asset-rows';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import { currentActor } from '../core/request-context/request-context';
import { DeploymentTransitionError } from './deployment-errors';
import { recordDeploymentEvent, type DeploymentEvent } from './deployment-events';
import { DeploymentGate } from './deployment-gate';
import {
  deploymentRow,
  deploymentRows,
  environmentByCode,
  toDeploymentDto,
} from './deployment-rows';
import { type Deployer } from './deployments.service';
import {
  type ActiveFlowDto,
  type DeploymentDto,
  type DriftDto,
  type DriftItemDto,
} from './dto/deployment.dto';
import { type Pin } from './lock-file';

/** The per-environment moves of an existing deployment (DEPLOYMENT_TRANSITIONS rows). */
export const DEPLOYMENT_ACTIONS = {
  suspend: { to: 'SUSPENDED', event: 'SUSPENDED' },
  resume: { to: 'DEPLOYED', event: 'RESUMED' },
  undeploy: { to: 'UNDEPLOYED', event: 'UNDEPLOYED' },
} as const satisfies Record<string, { to: DeploymentState; event: DeploymentEvent }>;
export type DeploymentAction = keyof typeof DEPLOYMENT_ACTIONS;

/**
 * Suspend, resume and undeploy a deployment in its environment, checked against the table of
 * @integrixs/domain (an illegal move is 409 `illegal_transition` naming the allowed states);
 * plus the read models of what runs where: drift between two environments and the package's
 * active flows.
 */
@Injectable()
export class DeploymentStates {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly gate: DeploymentGate,
  ) {}

  async move(
    packageId: string,
    flowId: string,
    deploymentId: string,
    action: DeploymentAction,
    who: Deployer,
  ): Promise<DeploymentDto> {
    const { to, event } = DEPLOYMENT_ACTIONS[action];
    return runInTransaction(this.db, async (m) => {
      const flow = await lockAsset(m, packageId, 'FLOW', flowId);
      const row = await deploymentRow(m, packageId, flowId, deploymentId, true);
      const env = await environmentByCode(m, row.environment);
      this.gate.assertMayDeploy({ environment: env, ...who });
      const refusal = deploymentActionRefusal(row.state, action, flow.status);
      if (refusal) throw new DeploymentTransitionError(refusal, row.state, flow.status);
      await m.query(
        `UPDATE flow_deployments SET state = $2, state_changed_at = now(), state_changed_by = $3
          WHERE id = $1`,
        [row.id, to, currentActor()],
      );
      await recordDeploymentEvent(m, event, row, { before: row.state, after: to });
      return toDeploymentDto(await deploymentRow(m, packageId, flowId, row.id));
    });
  }

  /** The pins that differ between the active deployments of two environments. */
  async drift(packageId: string, flowId: string, from: string, to: string): Promise<DriftDto> {
    const m = this.db.manager;
    const [a, b] = [await environmentByCode(m, from), await environmentByCode(m, to)];
    const active = async (environmentId: string) =>
      (
        await deploymentRows(
          m,
          `d.flow_id = $1 AND d.package_id = $2 AND d.environment_id = $3 AND d.state <> 'UNDEPLOYED'`,
          [flowId, packageId, environmentId],
        )
      )[0];
    const [left, right] = [await active(a.id), await active(b.id)];
    const differences = diffPins(left?.pins ?? [], right?.pins ?? []);
    return {
      from: a.code,
      to: b.code,
      fromDeploymentId: left?.id ?? null,
      toDeploymentId: right?.id ?? null,
      inSync: left !== undefined && right !== undefined && differences.length === 0,
      differences,
    };
  }

  /** What is deployed where in the package: every active deployment. */
  async active(packageId: string): Promise<ActiveFlowDto[]> {
    const rows = await queryRows<{
      flow_id: string;
      flow_name: string;
      environment: string;
      id: string;
      state: string;
      flow_version: number;
      created_at: Date;
      created_by: string;
    }>(
      this.db.manager,
      `SELECT d.flow_id, a.name AS flow_name, e.code AS environment, d.id, d.state,
              d.flow_version, d.created_at, d.created_by
         FROM flow_deployments d
         JOIN package_assets a ON a.id = d.flow_id AND a.deleted_at IS NULL
         JOIN environments e ON e.id = d.environment_id
        WHERE d.package_id = $1 AND d.state <> 'UNDEPLOYED'
        ORDER BY a.name, a.id, e.position, e.code`,
      [packageId],
    );
    return rows.map((r) => ({
      flowId: r.flow_id,
      flowName: r.flow_name,
      environment: r.environment,
      deploymentId: r.id,
      state: r.state,
      flowVersion: r.flow_version,
      deployedAt: new Date(r.created_at).toISOString(),
      deployedBy: r.created_by,
    }));
  }
}

/** Per asset: the versions each side pins, listed where they differ. */
export function diffPins(left: readonly Pin[], right: readonly Pin[]): DriftItemDto[] {
  const assets = new Map<string, Pin>();
  for (const pin of [...left, ...right]) assets.set(pin.assetId, pin);
  const versions = (pins: readonly Pin[], id: string) =>
    pins
      .filter((p) => p.assetId === id)
      .map((p) => p.version)
      .sort((x, y) => x - y);
  return [...assets.values()]
    .map((pin) => ({
      assetId: pin.assetId,
      type: pin.type,
      name: pin.name,
      from: versions(left, pin.assetId),
      to: versions(right, pin.assetId),
    }))
    .filter((d) => d.from.join(',') !== d.to.join(','))
    .sort((x, y) => x.type.localeCompare(y.type) || x.name.localeCompare(y.name));
}
