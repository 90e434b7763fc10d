import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FastifyRequest } from 'fastify';
import { type DataSource } from 'typeorm';

import { UnauthenticatedError } from '../../core/errors/app-error';
import { PUBLIC_KEY } from '../../core/http/permission.decorators';
import { RouteMetadataCache } from '../../core/http/route-metadata';
import { setActor } from '../../core/request-context/request-context';
import { recordSecurityEvent } from '../security-events';
import { BearerAuthenticator } from '../strategies';

/**
 * Global guard #1: every route needs a valid access token (JWT) or API token, unless it is
 * marked @Public(). Sets the request's principal and the audit actor.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  /** Whether a route is public, read once per route. */
  private readonly publicRoutes = new RouteMetadataCache(
    (targets) => this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
  );

  constructor(
    private readonly reflector: Reflector,
    private readonly bearer: BearerAuthenticator,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.publicRoutes.get(context)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    let principal = request.user; // set by a route that authenticates before reading its body
    try {
      if (request.authenticationRefused) throw request.authenticationRefused;
      principal ??= await this.bearer.authenticate(request);
    } catch (error) {
      // Infrastructure errors pass as they are (a database outage is a 503, not a 401).
      if (!(error instanceof UnauthenticatedError)) throw error;
      // Presented but refused credentials (forged, expired, revoked, a disabled user's) leave a
      // trace; plain anonymous calls do not.
      if (request.headers.authorization) {
        void recordSecurityEvent(this.db.manager, 'ACCESS_DENIED', null, {
          reason: error.message,
          route: `${request.method} ${request.routeOptions.url ?? request.url}`,
          ip: request.ip,
        }).catch(() => undefined);
      }
      throw error;
    }
    request.user = principal;
    setActor(principal.userId);
    return true;
  }
}
