import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';

import { type Permission, type Role } from '@integrixs/domain';

/** Who is calling: a signed-in user, or a user's API token (with its narrower scope). */
export interface Principal {
  readonly kind: 'user' | 'api-token';
  readonly userId: string;
  readonly username: string;
  /** Global role. */
  readonly role: Role;
  readonly mfaEnrolled: boolean;
  /** When this session last passed MFA (never, for API tokens). */
  readonly mfaAt: Date | null;
  /** The refresh-token family of an interactive session (checked on every request). */
  readonly sessionId: string | null;
  readonly token: {
    id: string;
    permissions: readonly Permission[];
    packageIds: readonly string[] | null;
    /** When the API token stops working (open live-event sockets close then). */
    expiresAt?: Date;
  } | null;
  /**
   * False while the principal is only what a verified access token claims: the permission guard
   * then re-reads the user's current state (role, disabled, sessions) in the same query as the
   * package role, once per request.
   */
  readonly verified: boolean;
}

/** The caller's standing in the package of a package-scoped route (set by the permission guard). */
export interface PackageAccess {
  readonly packageId: string;
  readonly role: Role;
}

/** Which packages a principal may see in cross-package lists. */
export interface VisibilityScope {
  /** Global administrators see every package. */
  readonly all: boolean;
  readonly userId: string;
  /** An API token limited to some packages. */
  readonly packageIds: readonly string[] | null;
}

export function visibilityOf(principal: Principal): VisibilityScope {
  return {
    all: principal.role === 'ADMINISTRATOR',
    userId: principal.userId,
    packageIds: principal.token?.packageIds ?? null,
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: Principal;
    /** Why a route that authenticates before reading its body refused the caller (the guard answers it). */
    authenticationRefused?: Error;
    packageAccess?: PackageAccess;
  }
}

/** The authenticated caller (routes behind the global authentication guard always have one). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<FastifyRequest>().user;
    if (!principal) throw new Error('no principal on an authenticated route');
    return principal;
  },
);

/** The caller's role in the route's package (package-scoped routes only). */
export const CurrentPackageAccess = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): PackageAccess => {
    const access = ctx.switchToHttp().getRequest<FastifyRequest>().packageAccess;
    if (!access)
      throw new Error('no package access on this route: is its permission package-scoped?');
    return access;
  },
);
