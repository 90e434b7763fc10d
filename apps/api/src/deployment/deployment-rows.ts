import { type EntityManager } from 'typeorm';

import { type DeploymentState } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { type SqlParams } from '../core/database/sql-params';
import { NotFoundError } from '../core/errors/app-error';
import { type KeysetOrder } from '../core/listing/cursor';
import { sqlKeysetPage, type Page } from '../core/listing/keyset-page';
import { actorNameSql } from '../identity/actor-names';
import { type DeploymentDto } from './dto/deployment.dto';
import { type Pin } from './lock-file';

export type DeploymentOrigin = 'DEPLOY' | 'PARTIAL_ROLLBACK' | 'PROMOTE';

/** A flow_deployments row as the services read it (with its environment's code). */
export interface DeploymentRow {
  id: string;
  package_id: string;
  flow_id: string;
  environment_id: string;
  environment: string;
  flow_version: number;
  pins: Pin[];
  origin: DeploymentOrigin;
  based_on: string | null;
  created_at: Date;
  created_by: string;
  created_by_name: string | null;
  state: DeploymentState;
  state_changed_at: Date;
  state_changed_by: string;
}

export interface EnvironmentRow {
  id: string;
  code: string;
  protected: boolean;
}

const SELECT = `
  SELECT d.id, d.package_id, d.flow_id, d.environment_id, e.code AS environment, d.flow_version,
         d.pins, d.origin, d.based_on, d.created_at, d.created_by,
         ${actorNameSql('d.created_by')} AS created_by_name,
         d.state, d.state_changed_at, d.state_changed_by
    FROM flow_deployments d JOIN environments e ON e.id = d.environment_id`;

export async function deploymentRows(
  m: EntityManager,
  where: string,
  params: unknown[],
  suffix = 'ORDER BY d.created_at DESC, d.id DESC',
): Promise<DeploymentRow[]> {
  return queryRows<DeploymentRow>(m, `${SELECT} WHERE ${where} ${suffix}`, params);
}

/** A flow's history, newest first; the cursor holds the exact `created_at` text and the id. */
const NEWEST_FIRST: KeysetOrder = {
  name: '-createdAt',
  descending: true,
  keys: [
    { sql: 'd.created_at', type: 'timestamptz' },
    { sql: 'd.id', type: 'uuid' },
  ],
};

/** One keyset page of the deployments matching `where` (conditions on `d`, bound in `params`). */
export async function deploymentPage(
  m: EntityManager,
  where: readonly string[],
  params: SqlParams,
  page: { limit?: number; cursor?: string },
): Promise<Page<DeploymentRow>> {
  return sqlKeysetPage<DeploymentRow & { created_at_key: string }>(
    (sql, values) => queryRows(m, sql, values),
    {
      select: SELECT.replace(
        'd.created_at,',
        'd.created_at, d.created_at::text AS created_at_key,',
      ),
      where,
      params,
      order: NEWEST_FIRST,
      keysOf: (row) => [row.created_at_key, row.id],
      total: 'SELECT count(*)::int AS n FROM flow_deployments d',
    },
    page,
  );
}

/** One deployment of the flow, locked for the change when `lock`; 404 otherwise. */
export async function deploymentRow(
  m: EntityManager,
  packageId: string,
  flowId: string,
  deploymentId: string,
  lock = false,
): Promise<DeploymentRow> {
  const [row] = await deploymentRows(
    m,
    'd.id = $1 AND d.flow_id = $2 AND d.package_id = $3',
    [deploymentId, flowId, packageId],
    lock ? 'FOR UPDATE OF d' : '',
  );
  if (!row) throw new NotFoundError('Deployment', deploymentId);
  return row;
}

/** The active (DEPLOYED or SUSPENDED) deployment of the flow in the environment, if any. */
export async function activeDeployment(
  m: EntityManager,
  flowId: string,
  environmentId: string,
): Promise<DeploymentRow | undefined> {
  const [row] = await deploymentRows(
    m,
    `d.flow_id = $1 AND d.environment_id = $2 AND d.state <> 'UNDEPLOYED'`,
    [flowId, environmentId],
    'FOR UPDATE OF d',
  );
  return row;
}

/** The environment by its code (case-insensitive); 404 naming it otherwise. */
export async function environmentByCode(m: EntityManager, code: string): Promise<EnvironmentRow> {
  const [row] = await queryRows<EnvironmentRow>(
    m,
    `SELECT id, code, protected FROM environments WHERE upper(code) = upper($1)`,
    [code],
  );
  if (!row) throw new NotFoundError('Environment', code);
  return row;
}

/** Whether this flow version was deployed before (anywhere): it passed the gate once. */
export async function versionDeployedBefore(
  m: EntityManager,
  flowId: string,
  flowVersion: number,
): Promise<boolean> {
  const rows = await queryRows(
    m,
    `SELECT 1 FROM flow_deployments WHERE flow_id = $1 AND flow_version = $2 LIMIT 1`,
    [flowId, flowVersion],
  );
  return rows.length > 0;
}

export function toDeploymentDto(row: DeploymentRow): DeploymentDto {
  return {
    id: row.id,
    packageId: row.package_id,
    flowId: row.flow_id,
    environment: row.environment,
    flowVersion: row.flow_version,
    pins: row.pins,
    origin: row.origin,
    basedOn: row.based_on,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    state: row.state,
    active: row.state !== 'UNDEPLOYED',
    stateChangedAt: new Date(row.state_changed_at).toISOString(),
    stateChangedBy: row.state_changed_by,
  };
}
