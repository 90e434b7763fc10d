import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { canonicalUsername } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import {
  StateConflictError,
  UnauthenticatedError,
  ValidationError,
} from '../core/errors/app-error';
import { setActor } from '../core/request-context/request-context';
import { AccessTokens } from './access-tokens';
import { ApiTokensService } from './api-tokens.service';
import { type MeDto } from './dto/auth.dto';
import { User } from './entities/user.entity';
import { LoginThrottle } from './login-throttle.service';
import { meOf } from './me.view';
import { MfaService, type Enrolment } from './mfa.service';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { type Principal } from './principal';
import { recordSecurityEvent } from './security-events';
import { SessionsService, type ClientInfo, type Session } from './sessions.service';
import { findUserByName, lockUser } from './users.repository';

export interface SignedIn {
  kind: 'signed-in';
  user: User;
  session: Session;
  accessToken: string;
  expiresIn: number;
}

export interface MfaChallenge {
  kind: 'mfa-required';
  mfaToken: string;
}

/**
 * Sign-in and session life cycle: password (throttled, generic errors), the MFA step, refresh
 * with rotation, logout, step-up, password change and MFA enrolment for the signed-in user.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
    private readonly tokens: AccessTokens,
    private readonly mfa: MfaService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  /**
   * The password step. The user is looked up by the canonical form of the name only; attempts
   * are counted per account (by id; by canonical name when no account has it, so unknown names
   * are throttled alike) and per client IP, and reserved before the password is hashed.
   */
  async login(
    username: string,
    password: string,
    client: ClientInfo,
  ): Promise<SignedIn | MfaChallenge> {
    const user = await findUserByName(this.db.manager, username);
    const accountKey = user ? `user:${user.id}` : `name:${canonicalUsername(username)}`;
    const ipKey = client.ip ? `ip:${client.ip}` : null;
    try {
      await this.throttle.reserve(ipKey ? [accountKey, ipKey] : [accountKey]);
    } catch (error) {
      await recordSecurityEvent(this.db.manager, 'LOGIN_THROTTLED', user?.id ?? null, {
        username,
        ip: client.ip,
      });
      throw error;
    }
    const valid = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !valid || user.disabledAt) {
      await recordSecurityEvent(this.db.manager, 'LOGIN_FAILED', user?.id ?? null, {
        username,
        ip: client.ip,
      });
      throw new UnauthenticatedError('invalid username or password');
    }
    await this.throttle.clear([accountKey]);
    if (ipKey) await this.throttle.release([ipKey]);
    if (user.mfaEnabledAt) {
      await recordSecurityEvent(this.db.manager, 'MFA_CHALLENGE_ISSUED', user.id, {
        ip: client.ip,
      });
      return { kind: 'mfa-required', mfaToken: this.tokens.issueMfaChallenge(user.id) };
    }
    return this.signIn(user, null, client);
  }

  /**
   * Second step of a sign-in with MFA: the challenge from login plus a TOTP or recovery code.
   * A challenge signs in once: it is recorded as used in the transaction that accepts the code
   * (so a wrong code leaves it usable, and of two concurrent uses one wins).
   */
  async loginWithMfa(mfaToken: string, code: string, client: ClientInfo): Promise<SignedIn> {
    const challenge = this.tokens.verifyMfaChallenge(mfaToken);
    const user = await this.mfa.attempt(challenge.userId, () =>
      this.db.transaction(async (m) => {
        // The user row first: concurrent uses of one challenge queue here, not on the insert.
        const found = await lockUser(m, challenge.userId);
        if (!found || found.disabledAt || !found.mfaEnabledAt)
          throw new UnauthenticatedError('sign in again');
        const fresh = await queryRows(
          m,
          `INSERT INTO mfa_challenges_used (jti, user_id, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (jti) DO NOTHING RETURNING jti`,
          [challenge.jti, found.id, challenge.expiresAt],
        );
        if (fresh.length === 0)
          throw new UnauthenticatedError('the sign-in challenge was used already; sign in again');
        await this.mfa.verifyCode(m, found, code);
        return found;
      }),
    );
    return this.signIn(user, new Date(), client);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<SignedIn> {
    const { userId, session } = await this.sessions.rotate(refreshToken, client);
    return this.signedIn(await this.db.manager.findOneByOrFail(User, { id: userId }), session);
  }

  async me(principal: Principal): Promise<MeDto> {
    return meOf(await this.db.manager.findOneByOrFail(User, { id: principal.userId }));
  }

  /**
   * Ends the session of the refresh token and the session of the access token (either may be
   * missing; an invalid one is ignored). Each is refused at once on every instance.
   */
  async logout(refreshToken: string | undefined, accessToken: string | undefined): Promise<void> {
    const ended = new Set<string>();
    if (refreshToken) {
      const session = await this.sessions.revokeByToken(refreshToken, 'logout');
      if (session) ended.add(session.userId);
    }
    const claims = accessToken ? this.tokens.verifyAccess(accessToken) : null;
    if (claims && (await this.sessions.revokeSession(claims.sub, claims.sid, 'logout')))
      ended.add(claims.sub);
    for (const userId of ended) await recordSecurityEvent(this.db.manager, 'LOGOUT', userId, {});
  }

  /** Step-up: a current code marks the session as recently MFA-confirmed; returns a fresh access token. */
  async stepUp(
    principal: Principal,
    code: string,
  ): Promise<{ accessToken: string; expiresIn: number }> {
    if (!principal.sessionId)
      throw new StateConflictError('API tokens cannot confirm MFA; sign in interactively');
    const user = await this.mfa.attempt(principal.userId, () =>
      this.db.transaction(async (m) => {
        const found = await lockUser(m, principal.userId);
        if (!found?.mfaEnabledAt)
          throw new StateConflictError('enrol MFA first: POST /api/auth/mfa/enrolment');
        await this.mfa.verifyCode(m, found, code);
        return found;
      }),
    );
    const mfaAt = await this.sessions.markMfa(principal.sessionId);
    await recordSecurityEvent(this.db.manager, 'STEP_UP', user.id, {});
    const access = this.tokens.issueAccess(user, { id: principal.sessionId, mfaAt });
    return { accessToken: access.token, expiresIn: access.expiresIn };
  }

  /**
   * Re-authenticated password change: every session and every API token ends (whoever knew the
   * old password may have minted them), and this client gets a new session.
   */
  async changePassword(
    principal: Principal,
    current: string,
    next: string,
    client: ClientInfo,
  ): Promise<SignedIn> {
    const user = await this.reauthenticated(principal, current, async (m, found) => {
      const problem = passwordProblem(next, found.username);
      if (problem) throw ValidationError.of('newPassword', problem, 'password_policy');
      found.passwordHash = await this.hasher.hash(next);
      found.passwordChangedAt = new Date();
      found.sessionsValidAfter = await this.sessions.endAllForUser(m, found.id, 'password_changed');
      await this.apiTokens.revokeAllForUser(m, found.id);
      await m.save(found);
      await recordSecurityEvent(m, 'PASSWORD_CHANGED', found.id, {});
      return found;
    });
    return this.signIn(user, principal.mfaAt, client);
  }

  async beginMfaEnrolment(principal: Principal, password: string): Promise<Enrolment> {
    return this.reauthenticated(principal, password, (m, user) => this.mfa.beginEnrolment(m, user));
  }

  /** Enables MFA; the session counts as MFA-confirmed from now on. */
  async confirmMfaEnrolment(
    principal: Principal,
    code: string,
  ): Promise<{ recoveryCodes: string[]; accessToken: string | null; expiresIn: number }> {
    const { user, codes } = await this.mfa.attempt(principal.userId, () =>
      this.db.transaction(async (m) => {
        const found = await lockUser(m, principal.userId);
        if (!found) throw new UnauthenticatedError();
        return { user: found, codes: await this.mfa.confirmEnrolment(m, found, code) };
      }),
    );
    if (!principal.sessionId) return { recoveryCodes: codes, accessToken: null, expiresIn: 0 };
    const mfaAt = await this.sessions.markMfa(principal.sessionId);
    const access = this.tokens.issueAccess(user, { id: principal.sessionId, mfaAt });
    return { recoveryCodes: codes, accessToken: access.token, expiresIn: access.expiresIn };
  }

  async disableMfa(principal: Principal, password: string, code: string): Promise<void> {
    await this.mfa.attempt(principal.userId, () =>
      this.reauthenticated(principal, password, async (m, user) => {
        if (user.role === 'ADMINISTRATOR')
          throw new StateConflictError('administrator accounts must keep MFA enabled');
        if (!user.mfaEnabledAt) throw new StateConflictError('MFA is not enabled');
        await this.mfa.verifyCode(m, user, code);
        await this.mfa.disable(m, user);
      }),
    );
  }

  async regenerateRecoveryCodes(
    principal: Principal,
    password: string,
    code: string,
  ): Promise<string[]> {
    return this.mfa.attempt(principal.userId, () =>
      this.reauthenticated(principal, password, async (m, user) => {
        if (!user.mfaEnabledAt) throw new StateConflictError('MFA is not enabled');
        await this.mfa.verifyCode(m, user, code);
        return this.mfa.replaceRecoveryCodes(m, user);
      }),
    );
  }

  /**
   * Sensitive account changes ask for the password again, throttled like a sign-in and on the
   * same account budget: the attempt is reserved before the transaction (so waiting requests hold
   * no connection) and before hashing, and given back when the password was right. `work` runs
   * in the transaction, with the user row locked.
   */
  private async reauthenticated<T>(
    principal: Principal,
    password: string,
    work: (m: EntityManager, user: User) => Promise<T>,
  ): Promise<T> {
    const key = `user:${principal.userId}`;
    await this.throttle.reserve([key]);
    let verified = false;
    try {
      return await this.db.transaction(async (m) => {
        const user = await lockUser(m, principal.userId);
        if (!user || !(await this.hasher.verify(user.passwordHash, password)))
          throw ValidationError.of('password', 'is not your current password', 'reauthentication');
        verified = true;
        return work(m, user);
      });
    } finally {
      if (verified) await this.throttle.release([key]);
    }
  }

  private async signIn(user: User, mfaAt: Date | null, client: ClientInfo): Promise<SignedIn> {
    setActor(user.id);
    const session = await this.db.transaction(async (m) => {
      await m.query('UPDATE users SET last_login_at = now() WHERE id = $1', [user.id]);
      await recordSecurityEvent(m, 'LOGIN_SUCCEEDED', user.id, {
        ip: client.ip,
        mfa: mfaAt !== null,
      });
      return this.sessions.start(m, user, mfaAt, client);
    });
    return this.signedIn(user, session);
  }

  private signedIn(user: User, session: Session): SignedIn {
    const access = this.tokens.issueAccess(user, session);
    return {
      kind: 'signed-in',
      user,
      session,
      accessToken: access.token,
      expiresIn: access.expiresIn,
    };
  }
}
