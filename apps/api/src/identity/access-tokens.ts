import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';

import { isUuid, type Role } from '@integrixs/domain';

import { APP_CONFIG, JWT_AUDIENCE, type AppConfig } from '../core/config/app-config';
import { UnauthenticatedError } from '../core/errors/app-error';

/** The only algorithm accepted: tokens claiming `none` or another algorithm are refused. */
export const JWT_ALGORITHMS: jwt.Algorithm[] = ['HS256'];
const MFA_CHALLENGE_SECONDS = 300;

export interface AccessClaims {
  typ: 'access';
  sub: string;
  role: Role;
  /** Refresh-token family (session) id: every request checks that this session is open. */
  sid: string;
  /** Epoch seconds of the session's last MFA confirmation. */
  mfa_at?: number;
}

interface MfaChallengeClaims {
  typ: 'mfa';
  sub: string;
  jti: string;
}

/** A verified MFA challenge: whose, and its id and expiry (it is good for one sign-in). */
export interface MfaChallenge {
  userId: string;
  jti: string;
  expiresAt: Date;
}

/** Seconds of clock skew allowed on exp/nbf. */
export const JWT_CLOCK_TOLERANCE_SECONDS = 5;

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
      ...(session.mfaAt ? { mfa_at: Math.floor(session.mfaAt.getTime() / 1000) } : {}),
    };
    const expiresIn = this.config.accessTokenTtlSeconds;
    const token = jwt.sign(claims, this.secret, this.signOptions(expiresIn));
    return { token, expiresIn };
  }

  issueMfaChallenge(userId: string): string {
    const claims = { typ: 'mfa', sub: userId };
    return jwt.sign(claims, this.secret, this.signOptions(MFA_CHALLENGE_SECONDS));
  }

  /** A valid, unexpired MFA challenge (whether it was used already is the caller's check). */
  verifyMfaChallenge(token: string): MfaChallenge {
    try {
      const claims = jwt.verify(token, this.secret, this.verifyOptions()) as Partial<
        MfaChallengeClaims & { exp: number }
      >;
      if (
        claims.typ !== 'mfa' ||
        !isUuid(claims.sub) ||
        !isUuid(claims.jti) ||
        typeof claims.exp !== 'number'
      )
        throw new Error('not an MFA challenge');
      return { userId: claims.sub, jti: claims.jti, expiresAt: new Date(claims.exp * 1000) };
    } catch {
      throw new UnauthenticatedError('the sign-in challenge is invalid or expired; sign in again');
    }
  }

  /**
   * The claims of a valid access token, or null (used by logout, which is open to callers whose
   * token is no longer accepted elsewhere, and ends the token's session when it is valid).
   */
  verifyAccess(token: string): Pick<AccessClaims, 'sub' | 'sid'> | null {
    try {
      const claims = jwt.verify(token, this.secret, this.verifyOptions()) as Partial<AccessClaims>;
      if (claims.typ !== 'access' || !isUuid(claims.sub) || !isUuid(claims.sid)) return null;
      return { sub: claims.sub, sid: claims.sid };
    } catch {
      return null;
    }
  }

  /** Options access tokens are verified with (signature, algorithm, exp/nbf, issuer, audience). */
  verifyOptions(): jwt.VerifyOptions & { algorithms: jwt.Algorithm[] } {
    return {
      algorithms: JWT_ALGORITHMS,
      issuer: this.config.jwtIssuer,
      audience: JWT_AUDIENCE,
      clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
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
