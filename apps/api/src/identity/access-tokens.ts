import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';

import { type Role } from '@integrixs/domain';

import { APP_CONFIG, JWT_AUDIENCE, type AppConfig } from '../core/config/app-config';
import { UnauthenticatedError } from '../core/errors/app-error';

/** The only algorithm accepted: tokens claiming `none` or another algorithm are refused. */
export const JWT_ALGORITHMS: jwt.Algorithm[] = ['HS256'];
const MFA_CHALLENGE_SECONDS = 300;

export interface AccessClaims {
  typ: 'access';
  sub: string;
  role: Role;
  /** Refresh-token family (session) id. */
  sid: string;
  /** Epoch seconds of the session's last MFA confirmation. */
  mfa_at?: number;
  /** Issue time in milliseconds: compared with the user's sessions_valid_after. */
  iat_ms: number;
}

interface MfaChallengeClaims {
  typ: 'mfa';
  sub: string;
}

/**
 * Signs and checks the API's JWTs: short-lived access tokens, and the 5-minute challenge that
 * links a correct password to the MFA step of a sign-in. Both carry `typ`, so one is never
 * accepted for the other (and refresh tokens are opaque, not JWTs at all).
 */
@Injectable()
export class AccessTokens {
  /**
   * A KeyObject, not the string: given a string, jsonwebtoken tries to parse it as a public key
   * on every verification (an exception path that cost ~15% of a request's CPU).
   */
  private readonly secret: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (!config.jwtSecret) throw new Error('jwtSecret is not configured');
    this.secret = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  issueAccess(
    user: { id: string; role: Role },
    session: { id: string; mfaAt: Date | null },
  ): { token: string; expiresIn: number } {
    const claims: AccessClaims = {
      typ: 'access',
      sub: user.id,
      role: user.role,
      sid: session.id,
      iat_ms: Date.now(),
      ...(session.mfaAt ? { mfa_at: Math.floor(session.mfaAt.getTime() / 1000) } : {}),
    };
    const expiresIn = this.config.accessTokenTtlSeconds;
    const token = jwt.sign(claims, this.secret, this.signOptions(expiresIn));
    return { token, expiresIn };
  }

  issueMfaChallenge(userId: string): string {
    const claims: MfaChallengeClaims = { typ: 'mfa', sub: userId };
    return jwt.sign(claims, this.secret, this.signOptions(MFA_CHALLENGE_SECONDS));
  }

  /** The user id of a valid, unexpired MFA challenge. */
  verifyMfaChallenge(token: string): string {
    try {
      const claims = jwt.verify(
        token,
        this.secret,
        this.verifyOptions(),
      ) as Partial<MfaChallengeClaims>;
      if (claims.typ !== 'mfa' || typeof claims.sub !== 'string')
        throw new Error('not an MFA challenge');
      return claims.sub;
    } catch {
      throw new UnauthenticatedError('the sign-in challenge is invalid or expired; sign in again');
    }
  }

  /** Options passport-jwt verifies access tokens with (signature, algorithm, exp/nbf, issuer, audience). */
  verifyOptions(): jwt.VerifyOptions & { algorithms: jwt.Algorithm[] } {
    return {
      algorithms: JWT_ALGORITHMS,
      issuer: this.config.jwtIssuer,
      audience: JWT_AUDIENCE,
      clockTolerance: 5,
    };
  }

  get verificationKey(): KeyObject {
    return this.secret;
  }

  private signOptions(expiresIn: number): jwt.SignOptions {
    return {
      algorithm: 'HS256',
      expiresIn,
      notBefore: 0,
      issuer: this.config.jwtIssuer,
      audience: JWT_AUDIENCE,
      jwtid: randomUUID(),
    };
  }
}
