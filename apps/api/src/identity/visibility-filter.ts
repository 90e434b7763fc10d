import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

import { type VisibilityScope } from './principal';

/**
 * Limits a cross-package list to the packages the caller may see: every package for global
 * administrators, otherwise those they are a member of, and only an API token's packages.
 */
export function restrictToVisiblePackages<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  packageIdColumn: string,
  scope: VisibilityScope,
): SelectQueryBuilder<T> {
  if (!scope.all) {
    qb.andWhere(
      `EXISTS (SELECT 1 FROM package_members pm WHERE pm.package_id = ${packageIdColumn} AND pm.user_id = :visibleTo)`,
      { visibleTo: scope.userId },
    );
  }
  if (scope.packageIds)
    qb.andWhere(`${packageIdColumn} = ANY(:visiblePackages)`, {
      visiblePackages: scope.packageIds,
    });
  return qb;
}
