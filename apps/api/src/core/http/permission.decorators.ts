import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiResponse } from '@nestjs/swagger';

import { ruleOf, type Permission } from '@integrixs/domain';

export const PERMISSION_KEY = 'integrixs:permission';
export const PUBLIC_KEY = 'integrixs:public';
export const PERMISSION_OPTIONS_KEY = 'integrixs:permission-options';

/** Options of a route's permission. */
export interface PermissionOptions {
  /** The route also works on a deleted package (restore, its audit log); otherwise such a package is a 404. */
  allowDeletedPackage?: boolean;
  /**
   * The route has no package id: its package is the one of the asset named by this path
   * parameter (e.g. the flow of an inbound message). An unknown asset, or one in a package the
   * caller may not see, is the same 404 naming the parameter's value ("Flow … does not exist").
   */
  packageOfAsset?: { param: string; type: 'FLOW'; label: string };
}

const problem = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } },
};

/**
 * The one decorator every route carries: the permission it needs (from the matrix in
 * libs/domain). The global guards authenticate the caller and check it; a route without one is
 * refused. The permission is also published in the OpenAPI document as `x-permission`.
 */
export function RequirePermission(
  permission: Permission,
  options: PermissionOptions = {},
): MethodDecorator & ClassDecorator {
  const rule = ruleOf(permission);
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    SetMetadata(PERMISSION_OPTIONS_KEY, options),
    ApiExtension('x-permission', permission),
    ApiBearerAuth(),
    ApiResponse({
      status: 401,
      description:
        'Not signed in' +
        (rule.stepUp ? ', or no recent MFA confirmation (code mfa_required)' : ''),
      content: problem,
    }),
    ApiResponse({
      status: 403,
      description: `Your role does not allow "${permission}" (${rule.roles.join(', ')}).`,
      content: problem,
    }),
  );
}

/** Reachable without signing in (sign-in itself, token refresh, health). */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-permission', 'public'));
}
