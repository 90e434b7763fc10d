import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

import { andWhereBound, type BindParam } from '../core/database/sql-params';
import { type VisibilityScope } from './principal';

/**
 * The one visibility rule: the SQL condition "the package in `packageIdColumn` is one `scope`
 * may read". Global administrators read every package; anyone else reads the packages they are
 * a member of; an API token limited to some packages reads only those (an administrator's too).
 * Lists, search, library resolution and the dependency graph all use this, never a copy.
 *
 * Deletion is not visibility: a deleted package stays readable to its members (to list and
 * restore it); lists of live things leave deleted rows out with their own `deleted_at` filter.
 * Every value is bound through `bind` (`SqlParams.bind` for raw SQL, `andWhereBound` for a query
 * builder), so the condition is the same text whichever way a query is written.
 */
export function visiblePackagesSql(
  scope: VisibilityScope,
  packageIdColumn: string,
  bind: BindParam,
): string {
  const conditions: string[] = [];
  if (!scope.all) {
    conditions.push(
      `EXISTS (SELECT 1 FROM package_members visible_member
                WHERE visible_member.package_id = ${packageIdColumn}
                  AND visible_member.user_id = ${bind(scope.userId)})`,
    );
  }
  if (scope.packageIds) {
    conditions.push(`${packageIdColumn} = ANY(${bind([...scope.packageIds])})`);
  }
  return conditions.length === 0 ? 'TRUE' : `(${conditions.join(' AND ')})`;
}

/** The visibility rule as a condition on a query builder (see visiblePackagesSql). */
export function restrictToVisiblePackages<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  packageIdColumn: string,
  scope: VisibilityScope,
): SelectQueryBuilder<T> {
  if (scope.all && !scope.packageIds) return qb;
  return andWhereBound(qb, (bind) => visiblePackagesSql(scope, packageIdColumn, bind));
}
