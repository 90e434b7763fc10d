import { type EntityManager } from 'typeorm';

import { effectivePackageRole, roleAllows, type Permission, type Role } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { type EnvironmentDto } from '../environment/environment.dto';
import { type Principal } from '../identity/principal';
import { type ReadinessItem } from './readiness-types';

/**
 * Whether the principal holds `permission` in a package: their role there (a global
 * ADMINISTRATOR everywhere, others by membership) allows it, and an API token also carries
 * the permission and covers the package — the permission guard's rule, for a package that is
 * not the route's.
 */
export async function mayInPackage(
  m: EntityManager,
  principal: Principal,
  packageId: string,
  permission: Permission,
): Promise<boolean> {
  const role = await packageRoleOf(m, principal, packageId);
  if (role === null || !roleAllows(role, permission)) return false;
  const token = principal.token;
  if (!token) return true;
  return (
    token.permissions.includes(permission) &&
    (token.packageIds === null || token.packageIds.includes(packageId))
  );
}

async function packageRoleOf(
  m: EntityManager,
  principal: Principal,
  packageId: string,
): Promise<Role | null> {
  const [row] = await queryRows<{ role: Role }>(
    m,
    `SELECT role FROM package_members WHERE package_id = $1 AND user_id = $2`,
    [packageId, principal.userId],
  );
  return effectivePackageRole(principal.role, row?.role ?? null);
}

/**
 * The last line: the caller may deploy the flow there. Deploying needs `flow:deploy` in the
 * flow's package (INTEGRATOR or ADMINISTRATOR); a protected environment also a recent MFA
 * step-up (within MFA_STEP_UP_MAX_AGE_SECONDS, as for revealing credentials).
 */
export async function deployPermissionItem(
  m: EntityManager,
  principal: Principal,
  packageId: string,
  env: EnvironmentDto,
  stepUpMaxAgeSeconds: number,
  now: Date,
): Promise<ReadinessItem> {
  const key = 'deploy-permission' as const;
  if (!(await mayInPackage(m, principal, packageId, 'flow:deploy')))
    return {
      key,
      status: 'fail',
      explanation: `you may not deploy flows of this package${principal.token ? ' with this API token' : ''}: deploying needs the INTEGRATOR or ADMINISTRATOR role in the package`,
      fixHint: `Ask a package administrator to deploy to ${env.code}, or to give you the INTEGRATOR role.`,
    };
  if (env.protected) {
    const fresh =
      principal.mfaAt !== null &&
      now.getTime() - principal.mfaAt.getTime() <= stepUpMaxAgeSeconds * 1000;
    if (!fresh)
      return {
        key,
        status: 'fail',
        explanation: `${env.code} is a protected environment: deploying there needs an MFA confirmation within the last ${Math.round(stepUpMaxAgeSeconds / 60)} minutes`,
        fixHint:
          principal.kind === 'api-token'
            ? `Deploy to ${env.code} from a signed-in session with MFA: API tokens cannot confirm MFA.`
            : 'Confirm MFA (POST /api/auth/mfa/verify with a current code), then check again.',
      };
  }
  return {
    key,
    status: 'pass',
    explanation: env.protected
      ? `you may deploy to the protected environment ${env.code} (role and recent MFA confirmation)`
      : `you may deploy to ${env.code}`,
    fixHint: null,
  };
}
