import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { type FastifyRequest } from 'fastify';
import { Strategy as CustomStrategy } from 'passport-custom';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';

import { API_TOKEN_PREFIX } from '@integrixs/domain';

import { APP_CONFIG, JWT_AUDIENCE, type AppConfig } from '../core/config/app-config';
import { AccessTokens, JWT_ALGORITHMS, type AccessClaims } from './access-tokens';
import { AccessService } from './access.service';
import { type Principal } from './principal';

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * Access tokens (passport-jwt): signature with the configured key, HS256 only (so `alg: none` or
 * an algorithm switch is refused), exp/nbf, issuer and audience; then the token type and the
 * user's current state.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    tokens: AccessTokens,
    private readonly access: AccessService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands the key to jsonwebtoken as it is; a KeyObject is verified directly.
      secretOrKey: tokens.verificationKey as unknown as string,
      algorithms: JWT_ALGORITHMS,
      issuer: config.jwtIssuer,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: 5 },
    });
  }

  validate(claims: Partial<AccessClaims>): Principal {
    return this.access.fromAccessToken(claims);
  }
}

/** API tokens for CI pipelines: `Authorization: Bearer ixt_...`. Other bearer tokens are left to the JWT strategy. */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(CustomStrategy, 'api-token') {
  constructor(private readonly access: AccessService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Principal | false> {
    const token = bearer(request);
    if (!token?.startsWith(API_TOKEN_PREFIX)) return false;
    return this.access.fromApiToken(token);
  }
}
