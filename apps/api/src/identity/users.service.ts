import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { canonicalUsername, type Role } from '@integrixs/domain';

import { sqlState, UNIQUE_VIOLATION } from '../core/database/database-errors';
import {
  NameConflictError,
  NotFoundError,
  StateConflictError,
  ValidationError,
  VersionConflictError,
} from '../core/errors/app-error';
import { auditedView } from '../core/http/audited.dto';
import { keysetPage, type Page } from '../core/listing/keyset-page';
import { ApiTokensService } from './api-tokens.service';
import {
  type CreateUserDto,
  type UpdateUserDto,
  type UserDto,
  type UserListQueryDto,
} from './dto/user.dto';
import { User } from './entities/user.entity';
import { MfaService } from './mfa.service';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { type Principal } from './principal';
import { SessionsService } from './sessions.service';
import { lockUser } from './users.repository';

/** Serialises changes to the set of active administrators (pg_advisory_xact_lock key). */
const ADMIN_SET_LOCK = 0x1e7e_ad32;

export function toUserView(user: User): UserDto {
  return {
    ...auditedView(user),
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    role: user.role,
    disabled: user.disabledAt !== null,
    mfaEnabled: user.mfaEnabledAt !== null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}

/** User administration (administrators only). Disabling a user or setting a password ends their sessions. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly mfa: MfaService,
  ) {}

  async list(query: UserListQueryDto): Promise<Page<UserDto>> {
    const qb = this.db.getRepository(User).createQueryBuilder('u');
    if (query.q) {
      qb.andWhere(`(u.username ILIKE :like OR u.display_name ILIKE :like OR u.email ILIKE :like)`, {
        like: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.createdFrom) qb.andWhere('u.created_at >= :from', { from: query.createdFrom });
    if (query.createdTo) qb.andWhere('u.created_at < :to', { to: query.createdTo });
    const page = await keysetPage(qb, 'u', query, { nameColumn: 'username' });
    return { ...page, items: page.items.map(toUserView) };
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user) throw new NotFoundError('User', id);
    return toUserView(user);
  }

  async create(dto: CreateUserDto): Promise<UserDto> {
    return toUserView(await this.db.transaction((m) => this.createIn(m, dto)));
  }

  /** Creates a user inside the caller's transaction (also used to bootstrap the first administrator). */
  async createIn(m: EntityManager, dto: CreateUserDto): Promise<User> {
    // Stored in the one form names are compared in, so no two users share a name in any spelling.
    const username = canonicalUsername(dto.username);
    const problem = passwordProblem(dto.password, username);
    if (problem) throw ValidationError.of('password', problem, 'password_policy');
    const user = m.create(User, {
      username,
      usernameCanonical: username,
      displayName: dto.displayName ?? '',
      email: dto.email ?? null,
      role: dto.role,
      passwordHash: await this.hasher.hash(dto.password),
    });
    try {
      return await m.save(user);
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION)
        throw new NameConflictError(
          'A user',
          username,
          '(the same name in another case or Unicode form counts as the same; or the email is taken)',
        );
      throw error;
    }
  }

  async update(
    actor: Principal,
    id: string,
    dto: UpdateUserDto,
    expectedVersion: number,
  ): Promise<UserDto> {
    return toUserView(
      await this.db.transaction(async (m) => {
        // Changes that can remove an administrator run one at a time, so two administrators
        // cannot disable or demote each other at once and leave none.
        if (dto.disabled === true || dto.role !== undefined)
          await m.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_SET_LOCK]);
        const user = await this.lock(m, id);
        if (user.version !== expectedVersion)
          throw new VersionConflictError(`User ${id}`, expectedVersion, toUserView(user));
        if (
          id === actor.userId &&
          (dto.disabled === true || (dto.role !== undefined && dto.role !== 'ADMINISTRATOR'))
        ) {
          throw new StateConflictError(
            'you cannot disable or demote yourself; ask another administrator',
          );
        }
        if (
          user.role === 'ADMINISTRATOR' &&
          (dto.disabled === true || (dto.role !== undefined && dto.role !== 'ADMINISTRATOR'))
        ) {
          await this.assertAnotherAdmin(m, id);
        }
        user.displayName = dto.displayName ?? user.displayName;
        user.email = dto.email === undefined ? user.email : dto.email;
        user.role = dto.role ?? user.role;
        if (dto.disabled !== undefined && dto.disabled !== (user.disabledAt !== null)) {
          user.disabledAt = dto.disabled ? new Date() : null;
          if (dto.disabled) await this.endSessions(m, user, 'user_disabled');
        }
        try {
          return await m.save(user);
        } catch (error) {
          if (sqlState(error) === UNIQUE_VIOLATION)
            throw new NameConflictError('A user', dto.email ?? '', 'with this email');
          throw error;
        }
      }),
    );
  }

  async setPassword(id: string, password: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const user = await this.lock(m, id);
      const problem = passwordProblem(password, user.username);
      if (problem) throw ValidationError.of('password', problem, 'password_policy');
      user.passwordHash = await this.hasher.hash(password);
      user.passwordChangedAt = new Date();
      await this.endSessions(m, user, 'password_reset');
      await m.save(user);
    });
  }

  /**
   * Resets a user's MFA (a lost device): secret and recovery codes go, every session and API
   * token of the user ends, and they enrol again at their next sign-in (administrators must).
   * Audited as the user's UPDATE and an MFA_DISABLED security event naming who reset it.
   */
  async resetMfa(actor: Principal, id: string): Promise<UserDto> {
    if (id === actor.userId)
      throw new StateConflictError(
        'you cannot reset your own MFA here; use your account page or ask another administrator',
      );
    return toUserView(
      await this.db.transaction(async (m) => {
        const user = await this.lock(m, id);
        if (!user.mfaEnabledAt && !user.mfaSecret)
          throw new StateConflictError(`user ${user.username} has no MFA to reset`);
        await this.endSessions(m, user, 'mfa_reset');
        await this.mfa.disable(m, user, {
          resetBy: actor.userId,
          reason: 'reset_by_administrator',
        });
        return user;
      }),
    );
  }

  /** Minimal facts other users may see (for choosing package members). */
  async summaries(ids: string[]): Promise<Map<string, { username: string; displayName: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; username: string; display_name: string }[]>(
      'SELECT id, username, display_name FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { username: r.username, displayName: r.display_name }]));
  }

  async roleOf(id: string): Promise<Role | null> {
    const rows = await this.db.query<{ role: Role }[]>('SELECT role FROM users WHERE id = $1', [
      id,
    ]);
    return rows[0]?.role ?? null;
  }

  /** Every session and API token of the user ends (see docs/security.md for which events do this). */
  private async endSessions(m: EntityManager, user: User, reason: string): Promise<void> {
    user.sessionsValidAfter = await this.sessions.endAllForUser(m, user.id, reason);
    await this.apiTokens.revokeAllForUser(m, user.id);
  }

  private async lock(m: EntityManager, id: string): Promise<User> {
    const user = await lockUser(m, id);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  private async assertAnotherAdmin(m: EntityManager, id: string): Promise<void> {
    const rows = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM users WHERE role = 'ADMINISTRATOR' AND disabled_at IS NULL AND id <> $1`,
      [id],
    );
    if ((rows[0]?.n ?? 0) === 0)
      throw new StateConflictError('this is the last active administrator');
  }
}
