import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import {
  deploymentTransitionRefusal,
  isUuid,
  type DeploymentState,
  type FlowState,
  type Role,
} from '@integrixs/domain';

import { lockAsset } from '../asset/asset-rows';
import { type PackageAsset } from '../asset/entities/package-asset.entity';
import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { runInTransaction } from '../core/database/transactions';
import { NotFoundError, StateConflictError, ValidationError } from '../core/errors/app-error';
import { type Page } from '../core/listing/keyset-page';
import { currentActor } from '../core/request-context/request-context';
import { FlowDeploymentLookup } from '../flow/flow-deployment-lookup';
import { type Principal } from '../identity/principal';
import { DeploymentTransitionError } from './deployment-errors';
import { recordDeploymentEvent, type DeploymentEvent } from './deployment-events';
import { DeploymentGate } from './deployment-gate';
import {
  activeDeployment,
  deploymentPage,
  deploymentRow,
  environmentByCode,
  toDeploymentDto,
  versionDeployedBefore,
  type DeploymentOrigin,
  type EnvironmentRow,
} from './deployment-rows';
import { type DeploymentDto } from './dto/deployment.dto';
import {
  pinnedContent,
  reproduceLockFile,
  resolveLockFile,
  type LockFile,
  type PinOverrides,
} from './lock-file';

/** Who asks, with their role in the flow's package. */
export interface Deployer {
  principal: Principal;
  packageRole: Role;
}

/**
 * Deploying flows (issue 12): every deployment is an immutable row pinning the exact version
 * of every asset the flow uses (lock-file.ts), written after the readiness gate passed for its
 * environment and made the one active deployment there (the one it replaces becomes
 * UNDEPLOYED). Quick rollback re-activates an earlier row without the gate; a partial rollback
 * and a promotion write a new row through the gate. The flow row is locked while its
 * deployments change, so concurrent deploys of one flow queue (the unique partial index
 * flow_deployments_one_active is the backstop). Every event is audited and NOTIFYed.
 */
@Injectable()
export class DeploymentsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly gate: DeploymentGate,
    private readonly lookup: FlowDeploymentLookup,
  ) {}

  onModuleInit(): void {
    this.lookup.register(async (m, flowId) =>
      (
        await queryRows<{ code: string }>(
          m,
          `SELECT e.code FROM flow_deployments d JOIN environments e ON e.id = d.environment_id
            WHERE d.flow_id = $1 AND d.state <> 'UNDEPLOYED' ORDER BY e.position, e.code`,
          [flowId],
        )
      ).map((r) => r.code),
    );
  }

  /** Deploys the flow's current version, or (with `pins`) a partial rollback of what runs there. */
  async deploy(
    packageId: string,
    flowId: string,
    environment: string,
    pins: Record<string, number> | undefined,
    who: Deployer,
  ): Promise<DeploymentDto> {
    const overrides = checkedOverrides(pins);
    return runInTransaction(this.db, async (m) => {
      const flow = await lockAsset(m, packageId, 'FLOW', flowId);
      const env = await environmentByCode(m, environment);
      const base = await activeDeployment(m, flowId, env.id);
      const partial = overrides !== undefined;
      const preferred = partial && base ? base.pins : [];
      const version = partial && base ? base.flow_version : flow.currentVersion;
      const lock = await resolveLockFile(m, flowId, version, overrides ?? {}, preferred);
      const origin: DeploymentOrigin = partial ? 'PARTIAL_ROLLBACK' : 'DEPLOY';
      return this.write(m, flow, env, lock, who, origin, partial ? (base?.id ?? null) : null);
    });
  }

  /** Deploys the same pin set as `deploymentId` to another environment, through its gate. */
  async promote(
    packageId: string,
    flowId: string,
    deploymentId: string,
    to: string,
    who: Deployer,
  ): Promise<DeploymentDto> {
    return runInTransaction(this.db, async (m) => {
      const flow = await lockAsset(m, packageId, 'FLOW', flowId);
      const source = await deploymentRow(m, packageId, flowId, deploymentId);
      const env = await environmentByCode(m, to);
      if (env.id === source.environment_id)
        throw ValidationError.of('to', `the deployment is already in ${env.code}`, 'same');
      const lock = await reproduceLockFile(m, flowId, source.flow_version, source.pins);
      return this.write(m, flow, env, lock, who, 'PROMOTE', source.id);
    });
  }

  /**
   * Quick rollback: makes an earlier deployment the active one of its environment again, as it
   * was (no gate: its exact pin set passed it when written). Audited as ROLLED_BACK.
   */
  async rollback(
    packageId: string,
    flowId: string,
    deploymentId: string,
    who: Deployer,
  ): Promise<DeploymentDto> {
    return runInTransaction(this.db, async (m) => {
      const flow = await lockAsset(m, packageId, 'FLOW', flowId);
      const target = await deploymentRow(m, packageId, flowId, deploymentId, true);
      const env = await environmentByCode(m, target.environment);
      this.gate.assertMayDeploy({ environment: env, ...who });
      if (flow.status === 'ARCHIVED') throw archived();
      if (target.state !== 'UNDEPLOYED')
        throw new StateConflictError(
          `deployment ${target.id} is already the active one in ${target.environment} (${target.state})`,
          'deploymentId',
        );
      const before = await this.supersede(m, flowId, env, target.id);
      await this.setState(m, target.id, 'DEPLOYED');
      await recordDeploymentEvent(
        m,
        'ROLLED_BACK',
        target,
        { before: before ?? 'UNDEPLOYED', after: 'DEPLOYED' },
        { flowVersion: target.flow_version },
      );
      return toDeploymentDto(await deploymentRow(m, packageId, flowId, target.id));
    });
  }

  /** Gate, insert, activate, record: the one path that writes a deployment. */
  private async write(
    m: EntityManager,
    flow: PackageAsset,
    env: EnvironmentRow,
    lock: LockFile,
    who: Deployer,
    origin: DeploymentOrigin,
    basedOn: string | null,
  ): Promise<DeploymentDto> {
    const flowPin = lock.pins.find((p) => p.assetId === flow.id && p.type === 'FLOW');
    const flowVersion = flowPin?.version ?? flow.currentVersion;
    if (flow.status === 'ARCHIVED') throw archived();
    const current = await activeDeployment(m, flow.id, env.id);
    const from: DeploymentState = current?.state ?? 'UNDEPLOYED';
    // A flow edited since (DRAFT again) may still deploy a version that passed the gate before.
    const effective: FlowState =
      flow.status === 'DRAFT' && (await versionDeployedBefore(m, flow.id, flowVersion))
        ? 'READY'
        : flow.status;
    const refusal = deploymentTransitionRefusal(from, 'DEPLOYED', effective);
    if (refusal) throw new DeploymentTransitionError(refusal, from, effective);
    await this.gate.assertReady(m, {
      packageId: flow.packageId,
      flowId: flow.id,
      flowVersion,
      content: pinnedContent(lock.content, lock.pins),
      pins: lock.pins,
      environment: env,
      ...who,
    });
    const before = await this.supersede(m, flow.id, env, null);
    const actor = currentActor();
    const [inserted] = await queryRows<{ id: string }>(
      m,
      `INSERT INTO flow_deployments (package_id, flow_id, environment_id, flow_version, pins,
              origin, based_on, created_by, state, state_changed_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, 'DEPLOYED', $8) RETURNING id`,
      [
        flow.packageId,
        flow.id,
        env.id,
        flowVersion,
        JSON.stringify(lock.pins),
        origin,
        basedOn,
        actor,
      ],
    );
    const row = await deploymentRow(m, flow.packageId, flow.id, inserted?.id ?? '');
    const event: DeploymentEvent =
      origin === 'PROMOTE'
        ? 'PROMOTED'
        : origin === 'PARTIAL_ROLLBACK'
          ? 'PARTIAL_ROLLBACK'
          : 'DEPLOYED';
    await recordDeploymentEvent(
      m,
      event,
      row,
      { before: null, after: 'DEPLOYED' },
      {
        flowVersion,
        pins: lock.pins.map((p) => `${p.type} ${p.assetId}@${p.version}`),
        ...(basedOn ? { basedOn } : {}),
        ...(before ? { replaced: before } : {}),
      },
    );
    return toDeploymentDto(row);
  }

  /** Retires the environment's active deployment (other than `keep`); its state before, if any. */
  private async supersede(
    m: EntityManager,
    flowId: string,
    env: EnvironmentRow,
    keep: string | null,
  ): Promise<DeploymentState | null> {
    const current = await activeDeployment(m, flowId, env.id);
    if (!current || current.id === keep) return null;
    await this.setState(m, current.id, 'UNDEPLOYED');
    await recordDeploymentEvent(m, 'SUPERSEDED', current, {
      before: current.state,
      after: 'UNDEPLOYED',
    });
    return current.state;
  }

  private async setState(m: EntityManager, id: string, state: DeploymentState): Promise<void> {
    await m.query(
      `UPDATE flow_deployments SET state = $2, state_changed_at = now(), state_changed_by = $3
        WHERE id = $1`,
      [id, state, currentActor()],
    );
  }

  /** The flow's deployments, newest first (optionally of one environment). */
  /** The flow's deployment history, newest first, one keyset page at a time. */
  async list(
    packageId: string,
    flowId: string,
    query: { environment?: string; limit?: number; cursor?: string },
  ): Promise<Page<DeploymentDto>> {
    const m = this.db.manager;
    await assertFlow(m, packageId, flowId);
    const env = query.environment ? await environmentByCode(m, query.environment) : undefined;
    const params = new SqlParams();
    const where = [
      `d.flow_id = ${params.bind(flowId)}`,
      `d.package_id = ${params.bind(packageId)}`,
    ];
    if (env) where.push(`d.environment_id = ${params.bind(env.id)}`);
    const page = await deploymentPage(m, where, params, query);
    return { ...page, items: page.items.map(toDeploymentDto) };
  }

  async get(packageId: string, flowId: string, deploymentId: string): Promise<DeploymentDto> {
    return toDeploymentDto(await deploymentRow(this.db.manager, packageId, flowId, deploymentId));
  }
}

/** The flow exists in the package (404 otherwise), read without a lock. */
async function assertFlow(m: EntityManager, packageId: string, flowId: string): Promise<void> {
  const rows = await queryRows(
    m,
    `SELECT 1 FROM package_assets WHERE id = $1 AND package_id = $2 AND type = 'FLOW'
        AND deleted_at IS NULL`,
    [flowId, packageId],
  );
  if (rows.length === 0) throw new NotFoundError('Flow', flowId);
}

function archived(): StateConflictError {
  return new StateConflictError(
    'the flow is ARCHIVED: an archived flow is no longer deployable',
    'status',
  );
}

/** The `pins` of a partial rollback: asset ids (uuid) to versions (integers ≥ 1); 400 otherwise. */
function checkedOverrides(pins: Record<string, number> | undefined): PinOverrides | undefined {
  if (pins === undefined) return undefined;
  const entries = Object.entries(pins);
  if (entries.length === 0)
    throw ValidationError.of('pins', 'name at least one asset id and version', 'required');
  for (const [assetId, version] of entries) {
    if (!isUuid(assetId))
      throw ValidationError.of(`pins.${assetId}`, 'must be an asset id (uuid)', 'format');
    if (!Number.isInteger(version) || version < 1)
      throw ValidationError.of(`pins.${assetId}`, 'must be a version number (≥ 1)', 'version');
  }
  return Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), v]));
}
