import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import {
  StateConflictError,
  UnauthenticatedError,
  ValidationError,
} from '../core/errors/app-error';
import { setActor } from '../core/request-context/request-context';
import { AccessTokens } from './access-tokens';
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
  ) {}

  async login(
    username: string,
    password: string,
    client: ClientInfo,
  ): Promise<SignedIn | MfaChallenge> {
    const userKey = `user:${username.toLowerCase()}`;
    const keys = [userKey, ...(client.ip ? [`ip:${client.ip}`] : [])];
    try {
      await this.throttle.assertOpen(keys);
    } catch (error) {
      await recordSecurityEvent(this.db.manager, 'LOGIN_THROTTLED', null, {
        username,
        ip: client.ip,
      });
      throw error;
    }
    const user = await findUserByName(this.db.manager, username);
    const valid = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !valid || user.disabledAt) {
      await this.throttle.recordFailure(keys);
      await recordSecurityEvent(this.db.manager, 'LOGIN_FAILED', user?.id ?? null, {
        username,
        ip: client.ip,
      });
      throw new UnauthenticatedError('invalid username or password');
    }
    await this.throttle.clear([userKey]);
    if (user.mfaEnabledAt) {
      await recordSecurityEvent(this.db.manager, 'MFA_CHALLENGE_ISSUED', user.id, {
        ip: client.ip,
      });
      return { kind: 'mfa-required', mfaToken: this.tokens.issueMfaChallenge(user.id) };
    }
    return this.signIn(user, null, client);
  }

  /** Second step of a sign-in with MFA: the challenge from login plus a TOTP or recovery code. */
  async loginWithMfa(mfaToken: string, code: string, client: ClientInfo): Promise<SignedIn> {
    const userId = this.tokens.verifyMfaChallenge(mfaToken);
    const user = await this.db.transaction(async (m) => {
      const found = await lockUser(m, userId);
      if (!found || found.disabledAt || !found.mfaEnabledAt)
        throw new UnauthenticatedError('sign in again');
      await this.mfa.verifyCode(m, found, code);
      return found;
    });
    return this.signIn(user, new Date(), client);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<SignedIn> {
    const { userId, session } = await this.sessions.rotate(refreshToken, client);
    return this.signedIn(await this.db.manager.findOneByOrFail(User, { id: userId }), session);
  }

  async me(principal: Principal): Promise<MeDto> {
    return meOf(await this.db.manager.findOneByOrFail(User, { id: principal.userId }));
  }

  async logout(refreshToken: string | undefined, principal: Principal | undefined): Promise<void> {
    if (refreshToken) await this.sessions.revokeByToken(refreshToken, 'logout');
    if (principal?.sessionId)
      await this.sessions.revokeFamily(this.db.manager, principal.sessionId, 'logout');
    await recordSecurityEvent(this.db.manager, 'LOGOUT', principal?.userId ?? null, {});
  }

  /** Step-up: a current code marks the session as recently MFA-confirmed; returns a fresh access token. */
  async stepUp(
    principal: Principal,
    code: string,
  ): Promise<{ accessToken: string; expiresIn: number }> {
    if (!principal.sessionId)
      throw new StateConflictError('API tokens cannot confirm MFA; sign in interactively');
    const user = await this.db.transaction(async (m) => {
      const found = await lockUser(m, principal.userId);
      if (!found?.mfaEnabledAt)
        throw new StateConflictError('enrol MFA first: POST /api/auth/mfa/enrolment');
      await this.mfa.verifyCode(m, found, code);
      return found;
    });
    const mfaAt = await this.sessions.markMfa(principal.sessionId);
    await recordSecurityEvent(this.db.manager, 'STEP_UP', user.id, {});
    const access = this.tokens.issueAccess(user, { id: principal.sessionId, mfaAt });
    return { accessToken: access.token, expiresIn: access.expiresIn };
  }

  /** Re-authenticated password change: every session ends, and this client gets a new one. */
  async changePassword(
    principal: Principal,
    current: string,
    next: string,
    client: ClientInfo,
  ): Promise<SignedIn> {
    const user = await this.db.transaction(async (m) => {
      const found = await this.reauthenticate(m, principal, current);
      const problem = passwordProblem(next, found.username);
      if (problem) throw ValidationError.of('newPassword', problem, 'password_policy');
      found.passwordHash = await this.hasher.hash(next);
      found.passwordChangedAt = new Date();
      found.sessionsValidAfter = new Date();
      await m.save(found);
      await this.sessions.revokeAllForUser(m, found.id, 'password_changed');
      await recordSecurityEvent(m, 'PASSWORD_CHANGED', found.id, {});
      return found;
    });
    return this.signIn(user, principal.mfaAt, client);
  }

  async beginMfaEnrolment(principal: Principal, password: string): Promise<Enrolment> {
    return this.db.transaction(async (m) =>
      this.mfa.beginEnrolment(m, await this.reauthenticate(m, principal, password)),
    );
  }

  /** Enables MFA; the session counts as MFA-confirmed from now on. */
  async confirmMfaEnrolment(
    principal: Principal,
    code: string,
  ): Promise<{ recoveryCodes: string[]; accessToken: string | null; expiresIn: number }> {
    const { user, codes } = await this.db.transaction(async (m) => {
      const found = await lockUser(m, principal.userId);
      if (!found) throw new UnauthenticatedError();
      return { user: found, codes: await this.mfa.confirmEnrolment(m, found, code) };
    });
    if (!principal.sessionId) return { recoveryCodes: codes, accessToken: null, expiresIn: 0 };
    const mfaAt = await this.sessions.markMfa(principal.sessionId);
    const access = this.tokens.issueAccess(user, { id: principal.sessionId, mfaAt });
    return { recoveryCodes: codes, accessToken: access.token, expiresIn: access.expiresIn };
  }

  async disableMfa(principal: Principal, password: string, code: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const user = await this.reauthenticate(m, principal, password);
      if (user.role === 'ADMINISTRATOR')
        throw new StateConflictError('administrator accounts must keep MFA enabled');
      if (!user.mfaEnabledAt) throw new StateConflictError('MFA is not enabled');
      await this.mfa.verifyCode(m, user, code);
      await this.mfa.disable(m, user);
    });
  }

  async regenerateRecoveryCodes(
    principal: Principal,
    password: string,
    code: string,
  ): Promise<string[]> {
    return this.db.transaction(async (m) => {
      const user = await this.reauthenticate(m, principal, password);
      if (!user.mfaEnabledAt) throw new StateConflictError('MFA is not enabled');
      await this.mfa.verifyCode(m, user, code);
      return this.mfa.replaceRecoveryCodes(m, user);
    });
  }

  /** Sensitive account changes ask for the password again (throttled like a sign-in). */
  private async reauthenticate(
    m: EntityManager,
    principal: Principal,
    password: string,
  ): Promise<User> {
    const key = `user:${principal.username.toLowerCase()}`;
    await this.throttle.assertOpen([key]);
    const user = await lockUser(m, principal.userId);
    if (!user || !(await this.hasher.verify(user.passwordHash, password))) {
      await this.throttle.recordFailure([key]);
      throw ValidationError.of('password', 'is not your current password', 'reauthentication');
    }
    return user;
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
