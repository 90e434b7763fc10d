/**
 * The one permission matrix (permission × role), used by the API's guard and by the console to
 * hide what a user cannot do. Deny by default: a permission not listed for a role is refused.
 */
export const ROLES = ['ADMINISTRATOR', 'DEVELOPER', 'INTEGRATOR', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

/**
 * - `global` permissions are checked against the user's global role;
 * - `package` permissions against the user's role *in the package* of the route (a global
 *   ADMINISTRATOR is ADMINISTRATOR in every package; other users only where they are members —
 *   non-members get 404, as if the package did not exist);
 * - `authenticated` needs only a signed-in user (their own account).
 */
export type PermissionScope = 'global' | 'package' | 'authenticated';

interface PermissionRule {
  scope: PermissionScope;
  roles: readonly Role[];
  /** Needs a recent MFA confirmation (step-up), answered 401 `mfa_required` otherwise. */
  stepUp?: boolean;
  description: string;
}

const ALL = ROLES;
const BUILDERS = ['ADMINISTRATOR', 'DEVELOPER'] as const;
const OPERATORS = ['ADMINISTRATOR', 'INTEGRATOR'] as const;
const ADMINS = ['ADMINISTRATOR'] as const;

export const PERMISSION_RULES = {
  'account:self': {
    scope: 'authenticated',
    roles: ALL,
    description: 'See and manage your own account, password and MFA',
  },
  'token:manage': {
    scope: 'global',
    roles: ALL,
    description: 'Create, list and revoke your own API tokens',
  },
  'package:list': { scope: 'global', roles: ALL, description: 'List the packages you can see' },
  'package:create': {
    scope: 'global',
    roles: BUILDERS,
    description: 'Create packages (you become their administrator)',
  },
  'asset:search': {
    scope: 'global',
    roles: ALL,
    description: 'Search assets across the packages you can see',
  },
  'user:read': { scope: 'global', roles: ADMINS, description: 'List and read users' },
  'user:manage': {
    scope: 'global',
    roles: ADMINS,
    stepUp: true,
    description: 'Create, disable and change users and their roles',
  },
  'audit:read': { scope: 'global', roles: ADMINS, description: 'Read the whole audit log' },
  'environment:read': {
    scope: 'global',
    roles: ALL,
    description: 'List the deployment environments (DEV, TEST, PROD, …)',
  },
  'environment:manage': {
    scope: 'global',
    roles: ADMINS,
    description: 'Add, rename, protect and delete deployment environments',
  },
  'metrics:read': { scope: 'global', roles: ADMINS, description: 'Scrape Prometheus metrics' },

  'package:read': { scope: 'package', roles: ALL, description: 'See the package and its contents' },
  'package:update': {
    scope: 'package',
    roles: BUILDERS,
    description: 'Change the package name, description, tags, owner',
  },
  'package:delete': {
    scope: 'package',
    roles: ADMINS,
    description: 'Delete and restore the package',
  },
  'package:members': {
    scope: 'package',
    roles: ADMINS,
    description: 'Manage who is a member of the package',
  },
  'package:audit': { scope: 'package', roles: ADMINS, description: "Read the package's audit log" },
  'asset:read': { scope: 'package', roles: ALL, description: 'Read assets of the package' },
  'asset:write': {
    scope: 'package',
    roles: BUILDERS,
    description: 'Create, change, delete and restore assets',
  },
  'asset:lock': { scope: 'package', roles: BUILDERS, description: 'Lock and unlock assets' },
  'adapter:configure': {
    scope: 'package',
    roles: OPERATORS,
    description: 'Configure adapters per environment',
  },
  'flow:deploy': {
    scope: 'package',
    roles: OPERATORS,
    description: 'Deploy, suspend and roll back flows',
  },
  'credential:reveal': {
    scope: 'package',
    roles: OPERATORS,
    stepUp: true,
    description: 'Reveal or rotate adapter credentials',
  },
  'runtime:read': {
    scope: 'package',
    roles: ALL,
    description: "See the package's executions, their payloads, dead letters and flow health",
  },
  'runtime:send': {
    scope: 'package',
    roles: ['ADMINISTRATOR', 'INTEGRATOR', 'DEVELOPER'],
    description:
      'Send messages to deployed flows (inbound HTTP, manual run); a protected environment needs ADMINISTRATOR or INTEGRATOR',
  },
  'runtime:operate': {
    scope: 'package',
    roles: OPERATORS,
    description: 'Replay and discard dead letters',
  },
  'alert:read': {
    scope: 'package',
    roles: ALL,
    description: "See the package's runtime alert rules and alerts",
  },
  'alert:manage': {
    scope: 'package',
    roles: OPERATORS,
    description: 'Create, change and delete runtime alert rules',
  },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSION_RULES;
export const PERMISSIONS = Object.keys(PERMISSION_RULES) as Permission[];

export function ruleOf(permission: Permission): PermissionRule {
  return PERMISSION_RULES[permission];
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return (PERMISSION_RULES[permission].roles as readonly Role[]).includes(role);
}

/** Permissions a role has in a scope (what the console shows as enabled). */
export function permissionsOf(
  role: Role,
  scope: Exclude<PermissionScope, 'authenticated'>,
): Permission[] {
  return PERMISSIONS.filter((p) => PERMISSION_RULES[p].scope === scope && roleAllows(role, p));
}

/** A global ADMINISTRATOR acts as ADMINISTRATOR in every package; others by membership only. */
export function effectivePackageRole(globalRole: Role, memberRole: Role | null): Role | null {
  return globalRole === 'ADMINISTRATOR' ? 'ADMINISTRATOR' : memberRole;
}

/** Password rule shared by the API and the console (the API also refuses common passwords). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Usernames: 3–64 of a–z, 0–9, dot, underscore, hyphen; compared case-insensitively. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** Prefix of API tokens, so they are recognisable in logs and by secret scanners. */
export const API_TOKEN_PREFIX = 'ixt_';
