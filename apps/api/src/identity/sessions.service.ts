import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { UnauthenticatedError } from '../core/errors/app-error';
import { AccessCache } from './access-cache';
import { RefreshToken } from './entities/refresh-token.entity';
import { type User } from './entities/user.entity';
import { recordSecurityEvent } from './security-events';

const REFRESH_PREFIX = 'ixr_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

export interface Session {
  id: string;
  refreshToken: string;
  mfaAt: Date | null;
  expiresAt: Date;
}

/**
 * Refresh-token sessions. A session is a family of single-use refresh tokens: each refresh
 * uses up the presented token and issues the next. A used token presented again means it leaked:
 * the whole family is revoked (reuse detection). Tokens are stored as sha256 hashes.
 *
 * Access tokens carry the family id (`sid`); a session is open while its family has a token
 * that is not revoked, was created (database time) no earlier than the user's
 * `sessions_valid_after` (database time), and is within the family's maximum age. Every request
 * checks that (see AccessService); revoking a family drops it from every instance's cache.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: AccessCache,
  ) {}

  async start(
    m: EntityManager,
    user: Pick<User, 'id'>,
    mfaAt: Date | null,
    client: ClientInfo,
  ): Promise<Session> {
    const familyExpiresAt = new Date(Date.now() + this.config.sessionMaxAgeSeconds * 1000);
    return this.issue(m, user.id, randomUUID(), mfaAt, familyExpiresAt, client);
  }

  /**
   * Uses up `token` and returns the next session token for the same family, with the user id.
   * Atomic: of two concurrent refreshes with one token, one wins and the other counts as reuse.
   */
  async rotate(token: string, client: ClientInfo): Promise<{ userId: string; session: Session }> {
    const rotated = await this.db.transaction(async (m) => {
      const [used] = await queryRows<{
        id: string;
        user_id: string;
        family_id: string;
        mfa_at: Date | null;
        family_expires_at: Date;
      }>(
        m,
        `UPDATE refresh_tokens t SET used_at = now()
           FROM users u
          WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.revoked_at IS NULL
            AND t.expires_at > now() AND t.family_expires_at > now()
            AND u.id = t.user_id AND u.disabled_at IS NULL AND t.created_at >= u.sessions_valid_after
          RETURNING t.id, t.user_id, t.family_id, t.mfa_at, t.family_expires_at`,
        [hashToken(token)],
      );
      if (!used) return null;
      const session = await this.issue(
        m,
        used.user_id,
        used.family_id,
        used.mfa_at,
        used.family_expires_at,
        client,
      );
      return { userId: used.user_id, session };
    });
    if (rotated) return rotated;
    // Only after that transaction has ended: a lost race can leave it holding the token's row lock.
    await this.detectReuse(token);
    throw new UnauthenticatedError(
      'the refresh token is invalid, expired or revoked; sign in again',
    );
  }

  /**
   * Revokes the session a refresh token belongs to (logout); returns whose it was, or null when
   * the token is unknown or its session had ended already.
   */
  async revokeByToken(token: string, reason: string): Promise<{ userId: string } | null> {
    const [ended] = await queryRows<{ user_id: string; family_id: string }>(
      this.db.manager,
      `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2
        WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)
        RETURNING user_id, family_id`,
      [hashToken(token), reason],
    );
    if (!ended) return null;
    this.cache.invalidate(`session:${ended.family_id}`);
    return { userId: ended.user_id };
  }

  /** Revokes one session of a user (logout with the access token); false when it had ended. */
  async revokeSession(userId: string, familyId: string, reason: string): Promise<boolean> {
    const ended = await queryRows(
      this.db.manager,
      `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $3
        WHERE family_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [familyId, userId, reason],
    );
    this.cache.invalidate(`session:${familyId}`);
    return ended.length > 0;
  }

  /**
   * Ends every session of a user, in the caller's transaction (password change or reset,
   * disable): revokes them, and moves `sessions_valid_after` to the transaction's database time
   * so a session started concurrently with the old password is not valid either. Returns that
   * time, for the caller's User entity (so saving it does not write an older value back).
   */
  async endAllForUser(m: EntityManager, userId: string, reason: string): Promise<Date> {
    const [user] = await queryRows<{ sessions_valid_after: Date }>(
      m,
      'UPDATE users SET sessions_valid_after = now() WHERE id = $1 RETURNING sessions_valid_after',
      [userId],
    );
    await m.query(
      `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, reason],
    );
    this.cache.invalidateOnCommit(m, `user:${userId}`);
    if (!user) throw new Error(`no user ${userId}`);
    return user.sessions_valid_after;
  }

  /** Records that the session passed MFA now (step-up); later refreshes carry it on. */
  async markMfa(familyId: string): Promise<Date> {
    const now = new Date();
    await this.db.query(
      `UPDATE refresh_tokens SET mfa_at = $2 WHERE family_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
      [familyId, now],
    );
    return now;
  }

  private async issue(
    m: EntityManager,
    userId: string,
    familyId: string,
    mfaAt: Date | null,
    familyExpiresAt: Date,
    client: ClientInfo,
  ): Promise<Session> {
    const refreshToken = `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(
      Math.min(Date.now() + this.config.refreshTokenTtlSeconds * 1000, familyExpiresAt.getTime()),
    );
    await m.insert(RefreshToken, {
      userId,
      familyId,
      tokenHash: hashToken(refreshToken),
      mfaAt,
      expiresAt,
      familyExpiresAt,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
      ip: client.ip,
    });
    return { id: familyId, refreshToken, mfaAt, expiresAt };
  }

  /** A used token presented again: revoke its whole family and record the event. */
  private async detectReuse(token: string): Promise<void> {
    const [first] = await queryRows<{ family_id: string; user_id: string }>(
      this.db.manager,
      `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'reuse_detected'
        WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL)
          AND revoked_at IS NULL
        RETURNING family_id, user_id`,
      [hashToken(token)],
    );
    if (first) {
      this.cache.invalidate(`session:${first.family_id}`);
      await recordSecurityEvent(this.db.manager, 'REFRESH_TOKEN_REUSE', first.user_id, {
        session: first.family_id,
      });
    }
  }
}
