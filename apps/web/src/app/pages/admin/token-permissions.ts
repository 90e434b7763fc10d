import {
  PERMISSION_RULES,
  PERMISSIONS,
  roleAllows,
  type Permission,
  type Role,
} from '@integrixs/domain';

/** What a token can never carry: the interactive account routes (as the API refuses them). */
const INTERACTIVE_ONLY: readonly Permission[] = ['account:self', 'token:manage'];

/** The permissions a user of `role` may give a token, by where they apply. */
export interface GrantablePermissions {
  /** Global permissions the role has. */
  readonly global: Permission[];
  /** Package permissions: checked on every use against the owner's role in the package. */
  readonly package: Permission[];
}

/**
 * What a token of a `role` user may carry (the API's rule): no interactive-only permission, none
 * that needs an MFA step-up, and global ones only when the role has them. Package permissions are
 * all offered: the owner's role in each package still limits them when the token is used.
 */
export function grantablePermissions(role: Role): GrantablePermissions {
  const offered = PERMISSIONS.filter((permission) => {
    const rule = PERMISSION_RULES[permission];
    return !INTERACTIVE_ONLY.includes(permission) && !('stepUp' in rule && rule.stepUp);
  });
  return {
    global: offered.filter(
      (permission) =>
        PERMISSION_RULES[permission].scope === 'global' && roleAllows(role, permission),
    ),
    package: offered.filter((permission) => PERMISSION_RULES[permission].scope === 'package'),
  };
}

/** Read-only access: listing, searching and reading packages, assets and environments. */
export const READ_ONLY: readonly Permission[] = [
  'package:list',
  'asset:search',
  'environment:read',
  'package:read',
  'asset:read',
];

/** `selected` with `permission` turned on or off, in the matrix's order. */
export function toggled(
  selected: readonly Permission[],
  permission: Permission,
  on: boolean,
): Permission[] {
  const next = new Set(selected);
  if (on) next.add(permission);
  else next.delete(permission);
  return PERMISSIONS.filter((p) => next.has(p));
}

/** The permission's description from the matrix ("Read assets of the package"). */
export function descriptionOf(permission: Permission): string {
  return PERMISSION_RULES[permission].description;
}
