import { foreignKeyViolation } from '../database/database-errors';
import { type ProblemParts } from './problem-mapper';

/** What a referenced table holds, as a client would say it. */
const REFERENCED: Record<string, string> = {
  integration_packages: 'a package',
  package_assets: 'an asset',
  users: 'a user',
};

/** Who refers to a row, as a client would say it. */
const REFERRERS: Record<string, string> = {
  package_assets: 'assets',
  package_asset_dependencies: 'other assets (through their dependencies)',
  package_members: 'package memberships',
  api_tokens: 'API tokens',
};

/**
 * Foreign keys whose column is not a field of any request: the request field they come from.
 * (Other constraints are named after their column, e.g. package_id → packageId.)
 */
const CONSTRAINT_FIELDS: Record<string, { path: string; what: string }> = {
  package_asset_dependencies_to_asset_id_fkey: {
    path: 'content',
    what: 'an asset it imports or references',
  },
};

const camelCase = (column: string) =>
  column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A foreign-key violation (SQLSTATE 23503) as the client's problem, naming the reference but
 * never the key values: 422 when the request refers to a row that does not exist (typically
 * deleted while the request ran), 409 when it deletes a row others still refer to.
 */
export function referenceProblem(error: unknown): ProblemParts | undefined {
  const violation = foreignKeyViolation(error);
  if (!violation) return undefined;
  const known = violation.constraint ? CONSTRAINT_FIELDS[violation.constraint] : undefined;
  if (violation.missing) {
    const path = known?.path ?? (violation.columns.map(camelCase).join(',') || 'body');
    const what =
      known?.what ??
      (violation.referencedTable ? REFERENCED[violation.referencedTable] : undefined) ??
      'something';
    const message = `refers to ${what} that does not exist (it may have been deleted meanwhile)`;
    return {
      status: 422,
      code: 'reference_not_found',
      title: 'A referenced item does not exist',
      detail: `${path} ${message}`,
      errors: [{ path, message, code: 'reference' }],
    };
  }
  const by = (violation.table ? REFERRERS[violation.table] : undefined) ?? 'other records';
  return {
    status: 409,
    code: 'still_referenced',
    title: 'Still in use',
    detail: `this cannot be deleted while ${by} still refer to it`,
  };
}
