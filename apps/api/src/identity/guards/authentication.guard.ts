import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FastifyRequest } from 'fastify';
import { type DataSource } from 'typeorm';

import { UnauthenticatedError } from '../../core/errors/app-error';
import { PUBLIC_KEY } from '../../core/http/permission.decorators';
import { setActor } from '../../core/request-context/request-context';
import { type Principal } from '../principal';
import { recordSecurityEvent } from '../security-events';

/** Passport's reasons, in words a client can act on. */
function reasonOf(info: unknown): string {
  const first = Array.isArray(info) ? info.find((i) => i instanceof Error) : info;
  const message = first instanceof Error ? first.message : '';
  if (/expired/i.test(message)) return 'the access token has expired; refresh it or sign in again';
  if (/no auth token/i.test(message) || message === '')
    return 'this request needs a valid access token or API token';
  return `the access token is not valid (${message})`;
}

/**
 * Global guard #1: every route needs a valid access token (JWT) or API token, unless it is
 * marked @Public(). Sets the request's principal and the audit actor.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard(['api-token', 'jwt']) {
  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (
      this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return true;
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.user) setActor(request.user.userId);
    return true;
  }

  override handleRequest<T = Principal>(
    error: unknown,
    user: T | false,
    info: unknown,
    context: ExecutionContext,
  ): T {
    // Infrastructure errors pass as they are (a database outage is a 503, not a 401).
    if (error !== null && error !== undefined && !(error instanceof UnauthenticatedError)) {
      throw error instanceof Error ? error : new Error(JSON.stringify(error));
    }
    if (user && !error) return user;
    const refusal =
      error instanceof UnauthenticatedError ? error : new UnauthenticatedError(reasonOf(info));
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Presented but refused credentials (forged, expired, revoked, a disabled user's) leave a
    // trace; plain anonymous calls do not.
    if (request.headers.authorization) {
      void recordSecurityEvent(this.db.manager, 'ACCESS_DENIED', null, {
        reason: refusal.message,
        route: `${request.method} ${request.routeOptions.url ?? request.url}`,
        ip: request.ip,
      }).catch(() => undefined);
    }
    throw refusal;
  }
}
