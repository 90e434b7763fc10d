import { Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import jwt from 'jsonwebtoken';

import { API_TOKEN_PREFIX } from '@integrixs/domain';

import { UnauthenticatedError } from '../core/errors/app-error';
import { AccessTokens, JWT_CLOCK_TOLERANCE_SECONDS, type AccessClaims } from './access-tokens';
import { AccessService } from './access.service';
import { type Principal } from './principal';

/** Verified access tokens kept (then the map starts over): far more than live sessions. */
const VERIFIED_CACHE_MAX = 10_000;

/** Why a request carries no principal, in words a client can act on. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/expired/i.test(message)) return 'the access token has expired; refresh it or sign in again';
  if (message === '') return 'this request needs a valid access token or API token';
  return `the access token is not valid (${message})`;
}

/** `Authorization: <scheme> <value>` with the scheme `bearer` in any case (as passport-jwt reads it). */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /(\S+)\s+(\S+)/.exec(header);
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : undefined;
}

/** API tokens are only taken from the exact `Bearer ` form (as they always were). */
function apiToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  return token?.startsWith(API_TOKEN_PREFIX) ? token : undefined;
}

interface VerifiedToken {
  claims: Partial<AccessClaims>;
  /** `exp` in epoch seconds (every access token has one). */
  exp: number;
}

/**
 * Authenticates a request's bearer credentials: an API token (`ixt_…`), else an access token
 * (JWT: HS256 only, so `alg: none` or an algorithm switch is refused; exp/nbf, issuer and
 * audience), then the token type. This replaced passport on the hot path: the same checks and
 * the same refusals, without a strategy chain per request.
 *
 * A token's signature and claims never change, so a verified token is remembered by its exact
 * text; only its expiry, which depends on the clock, is checked again on each use (an expired
 * one is verified afresh, so the refusal reads as before). The user's current state and the
 * session's revocation are checked later, per request, by AccessService.resolve.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly tokens: AccessTokens,
    private readonly access: AccessService,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const api = apiToken(request);
    if (api !== undefined) return this.access.fromApiToken(api);
    const token = bearerToken(request);
    if (token === undefined) throw new UnauthenticatedError(reasonOf(undefined));
    return this.access.fromAccessToken(this.verify(token));
  }

  private verify(token: string): Partial<AccessClaims> {
    const known = this.verified.get(token);
    const now = Math.floor(Date.now() / 1000);
    if (known !== undefined && now < known.exp + JWT_CLOCK_TOLERANCE_SECONDS) return known.claims;
    if (known !== undefined) this.verified.delete(token);
    let claims: Partial<AccessClaims> & { exp?: unknown };
    try {
      claims = jwt.verify(
        token,
        this.tokens.verificationKey,
        this.tokens.verifyOptions(),
      ) as Partial<AccessClaims> & { exp?: unknown };
    } catch (error) {
      throw new UnauthenticatedError(reasonOf(error));
    }
    if (typeof claims === 'object' && claims !== null && typeof claims.exp === 'number') {
      if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
      this.verified.set(token, { claims, exp: claims.exp });
    }
    return claims;
  }
}
