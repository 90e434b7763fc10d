import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import {
  API_TOKEN_PREFIX,
  effectivePackageRole,
  isUuid,
  type Permission,
  type Role,
} from '@integrixs/domain';

import { UnauthenticatedError } from '../core/errors/app-error';
import { AccessCache } from './access-cache';
import { type AccessClaims } from './access-tokens';
import { type Principal } from './principal';
import { hashToken } from './sessions.service';

interface UserState {
  id: string;
  username: string;
  role: Role;
  disabled_at: Date | null;
  mfa_enabled_at: Date | null;
}

interface ResolvedRow extends UserState {
  /** The access token's session is open (always true without one: API tokens). */
  session_open: boolean;
  package_id: string | null;
  package_deleted_at: Date | null;
  member_role: Role | null;
}

export interface ResolvedAccess {
  principal: Principal;
  /** The role in the route's package; null when there is none or the caller may not see it. */
  packageRole: Role | null;
  packageDeleted: boolean;
}

/** SQL: the session `param` names (a uuid or null: no session, API tokens) is open for user `u`. */
const sessionOpen = (param: string) => `(${param}::uuid IS NULL OR EXISTS (
  SELECT 1 FROM refresh_tokens s
   WHERE s.family_id = ${param}::uuid AND s.user_id = u.id AND s.revoked_at IS NULL
     AND s.created_at >= u.sessions_valid_after AND s.family_expires_at > now()))`;

interface TokenState extends UserState {
  token_id: string;
  expires_at: Date;
  permissions: Permission[];
  package_ids: string[] | null;
}

/**
 * Turns credentials into a Principal, checking the user's current state and the access token's
 * session on every request (so a disabled user, a changed password or a logout ends the session
 * at once), and resolves a principal's role in a package.
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cache: AccessCache,
  ) {}

  /** The principal an access token claims; its current state is checked by `resolve`. */
  fromAccessToken(claims: Partial<AccessClaims>): Principal {
    if (claims.typ !== 'access' || !isUuid(claims.sub) || !isUuid(claims.sid) || !claims.role) {
      throw new UnauthenticatedError('not an access token');
    }
    return {
      kind: 'user',
      userId: claims.sub,
      username: '',
      role: claims.role,
      mfaEnrolled: false,
      mfaAt: typeof claims.mfa_at === 'number' ? new Date(claims.mfa_at * 1000) : null,
      sessionId: claims.sid,
      token: null,
      verified: false,
    };
  }

  /**
   * At most one query per request (none when cached, see AccessCache): the user's current state
   * and whether the access token's session is still open (a disabled user, a logout, a password
   * change or a reused refresh token is refused at once; database time is compared with database
   * time only) and, for package routes, the package and the user's role in it.
   */
  async resolve(principal: Principal, packageId: string | null): Promise<ResolvedAccess> {
    if (principal.verified && packageId === null)
      return { principal, packageRole: null, packageDeleted: false };
    const { userId, sessionId } = principal;
    const row = await this.cache.get(userId, sessionId, packageId, async () => {
      const [found] = await this.db.query<ResolvedRow[]>(
        `SELECT u.id, u.username, u.role, u.disabled_at, u.mfa_enabled_at,
                ${sessionOpen('$3')} AS session_open,
                p.id AS package_id, p.deleted_at AS package_deleted_at, m.role AS member_role
           FROM users u
           LEFT JOIN integration_packages p ON p.id = $2::uuid
           LEFT JOIN package_members m ON m.package_id = p.id AND m.user_id = u.id
          WHERE u.id = $1`,
        [userId, packageId, sessionId],
      );
      return found;
    });
    if (!row || row.disabled_at || !row.session_open) {
      throw new UnauthenticatedError('the session has ended; sign in again');
    }
    const current: Principal = principal.verified
      ? principal
      : {
          ...principal,
          username: row.username,
          role: row.role,
          mfaEnrolled: row.mfa_enabled_at !== null,
          verified: true,
        };
    const outsideToken =
      packageId !== null &&
      principal.token?.packageIds &&
      !principal.token.packageIds.includes(packageId);
    const packageRole =
      row.package_id === null || outsideToken
        ? null
        : effectivePackageRole(current.role, row.member_role);
    return { principal: current, packageRole, packageDeleted: row.package_deleted_at !== null };
  }

  async fromApiToken(token: string): Promise<Principal> {
    if (!token.startsWith(API_TOKEN_PREFIX)) throw new UnauthenticatedError('not an API token');
    const [state] = await this.db.query<TokenState[]>(
      `SELECT u.id, u.username, u.role, u.disabled_at, u.mfa_enabled_at,
              t.id AS token_id, t.permissions, t.package_ids, t.expires_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()`,
      [hashToken(token)],
    );
    if (!state || state.disabled_at)
      throw new UnauthenticatedError('the API token is invalid, expired or revoked');
    // Recording use at most once a minute keeps a busy pipeline from writing on every request.
    await this.db.query(
      `UPDATE api_tokens SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [state.token_id],
    );
    return {
      kind: 'api-token',
      userId: state.id,
      username: state.username,
      role: state.role,
      mfaEnrolled: state.mfa_enabled_at !== null,
      mfaAt: null,
      sessionId: null,
      token: {
        id: state.token_id,
        permissions: state.permissions,
        packageIds: state.package_ids,
        expiresAt: state.expires_at,
      },
      verified: true,
    };
  }

  /**
   * A principal authenticated a while ago as it stands now, read past the cache (the events
   * gateway asks on a revocation notification): null when the user is disabled, the access
   * token's session has ended, or the API token is revoked or expired.
   */
  async current(principal: Principal): Promise<Principal | null> {
    const [row] = await this.db.query<(UserState & { active: boolean })[]>(
      `SELECT u.id, u.username, u.role, u.disabled_at, u.mfa_enabled_at,
              ${sessionOpen('$2')} AND ($3::uuid IS NULL OR EXISTS (
                SELECT 1 FROM api_tokens t
                 WHERE t.id = $3::uuid AND t.user_id = u.id AND t.revoked_at IS NULL
                   AND t.expires_at > now())) AS active
         FROM users u WHERE u.id = $1`,
      [principal.userId, principal.sessionId, principal.token?.id ?? null],
    );
    if (!row || row.disabled_at || !row.active) return null;
    return {
      ...principal,
      username: row.username,
      role: row.role,
      mfaEnrolled: row.mfa_enabled_at !== null,
      verified: true,
    };
  }

  /**
   * The principal's role in a package (deleted ones included, so they can be restored), or null
   * when they may not see it at all: not a member, or outside an API token's package list.
   */
  async packageRole(principal: Principal, packageId: string): Promise<Role | null> {
    if (principal.token?.packageIds && !principal.token.packageIds.includes(packageId)) return null;
    const rows = await this.db.query<{ role: Role | null }[]>(
      `SELECT m.role FROM integration_packages p
         LEFT JOIN package_members m ON m.package_id = p.id AND m.user_id = $2
        WHERE p.id = $1`,
      [packageId, principal.userId],
    );
    const row = rows[0];
    if (!row) return null;
    return effectivePackageRole(principal.role, row.role);
  }
}
