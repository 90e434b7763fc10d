import { type EntityManager } from 'typeorm';

import { type SqlClient } from '@integrixs/runtime';

import { queryRows } from '../core/database/query-rows';
import { ValidationError } from '../core/errors/app-error';

/**
 * The manager's transaction as the SqlClient libs/runtime takes (acceptMessage, the job
 * queue), so the runtime's rows and the job commit together with the rest of the request.
 */
export function sqlClientOf(m: EntityManager): SqlClient {
  const runner = m.queryRunner;
  if (!runner) throw new Error('sqlClientOf needs a manager inside a transaction');
  return {
    async query<R extends object>(text: string, values?: unknown[]) {
      const result = await runner.query(text, values, true);
      const rows = result.records as R[];
      return { rows, rowCount: result.affected ?? rows.length };
    },
  };
}

export interface EnvironmentRef {
  id: string;
  code: string;
  protected: boolean;
}

/** Environment codes as the environments table allows them. */
export const ENVIRONMENT_CODE = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

/** The environment by code (case-insensitive); a 400 naming `path` when there is none. */
export async function environmentNamed(
  m: EntityManager,
  code: string,
  path = 'environment',
): Promise<EnvironmentRef> {
  const rows = ENVIRONMENT_CODE.test(code)
    ? await queryRows<EnvironmentRef>(
        m,
        `SELECT id, code, protected FROM environments WHERE code = upper($1)`,
        [code],
      )
    : [];
  return environmentOrError(code, rows[0], path);
}

/** `row` when the environment named `code` was found; else the 400 environmentNamed answers. */
export function environmentOrError(
  code: string,
  row: EnvironmentRef | undefined,
  path = 'environment',
): EnvironmentRef {
  if (!ENVIRONMENT_CODE.test(code))
    throw ValidationError.of(path, 'must be an environment code such as DEV or PROD', 'pattern');
  if (!row)
    throw ValidationError.of(path, `there is no environment ${code.toUpperCase()}`, 'unknown');
  return row;
}

/** Whether the package has a live flow with this id. */
export async function flowOfPackage(
  m: EntityManager,
  packageId: string,
  flowId: string,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await queryRows<{ id: string; name: string }>(
    m,
    `SELECT id, name FROM package_assets
      WHERE id = $1 AND package_id = $2 AND type = 'FLOW' AND deleted_at IS NULL`,
    [flowId, packageId],
  );
  return row;
}
