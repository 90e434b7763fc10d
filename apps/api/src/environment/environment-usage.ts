import { type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { StateConflictError } from '../core/errors/app-error';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';

/** An adapter that keeps overlay values, secrets or a connection test result in an environment. */
export interface EnvironmentUser {
  id: string;
  packageId: string;
  name: string;
}

/**
 * The live adapters that keep anything in the environment — overlay values (an emptied overlay
 * does not count), secrets or a connection test result — split into those in packages the caller
 * can read and whether there are others. Adapters in the trash do not hold an environment: its
 * deletion drops what they kept there. Deployments (flows issue) will join this list.
 */
export async function environmentUsers(
  m: EntityManager,
  environmentId: string,
  visibility: VisibilityScope,
): Promise<{ visible: EnvironmentUser[]; hidden: boolean }> {
  const params = new SqlParams([environmentId]);
  const rows = await queryRows<{ id: string; package_id: string; name: string; visible: boolean }>(
    m,
    `SELECT a.id, a.package_id, a.name,
            ${visiblePackagesSql(visibility, 'a.package_id', params.bind)} AS visible
       FROM package_assets a
      WHERE a.deleted_at IS NULL
        AND a.id IN (SELECT asset_id FROM adapter_environment_overlays
                      WHERE environment_id = $1 AND "values" <> '{}'::jsonb
                     UNION SELECT asset_id FROM adapter_secrets WHERE environment_id = $1
                     UNION SELECT asset_id FROM adapter_connection_tests WHERE environment_id = $1)
      ORDER BY a.name, a.id`,
    params.values,
  );
  return {
    visible: rows
      .filter((r) => r.visible)
      .map((r) => ({ id: r.id, packageId: r.package_id, name: r.name })),
    hidden: rows.some((r) => !r.visible),
  };
}

/**
 * 409: adapters still keep values, secrets or test results in the environment. Counts and names
 * only the adapters the caller can read; others are mentioned, never counted or named.
 */
export class EnvironmentInUseError extends StateConflictError {
  constructor(code: string, users: { visible: EnvironmentUser[]; hidden: boolean }) {
    const { visible, hidden } = users;
    const named = visible.slice(0, 10).map((u) => `"${u.name}"`);
    if (visible.length > named.length) named.push(`${visible.length - named.length} more`);
    const counted =
      visible.length > 0
        ? `${visible.length} adapter${visible.length === 1 ? '' : 's'} you can read use${visible.length === 1 ? 's' : ''} it (${named.join(', ')})${hidden ? ', and adapters in packages you cannot read' : ''}`
        : 'adapters in packages you cannot read use it';
    super(
      `environment ${code} cannot be deleted: ${counted}; remove them from it first ` +
        `(DELETE …/adapters/{adapterId}/environments/${code}) or delete those adapters`,
    );
    this.extensions['adapters'] = visible;
  }
}
