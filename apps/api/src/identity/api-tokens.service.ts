import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';

import { API_TOKEN_PREFIX, roleAllows, ruleOf, type Permission } from '@integrixs/domain';

import { sqlState, UNIQUE_VIOLATION } from '../core/database/database-errors';
import { NameConflictError, NotFoundError, ValidationError } from '../core/errors/app-error';
import { AccessService } from './access.service';
import {
  type ApiTokenDto,
  type CreateApiTokenDto,
  type CreatedApiTokenDto,
} from './dto/api-token.dto';
import { ApiToken } from './entities/api-token.entity';
import { type Principal } from './principal';
import { hashToken } from './sessions.service';

const DEFAULT_DAYS = 90;
const MAX_DAYS = 366;
/** Not grantable to a token: they need an interactive session (account changes, MFA step-up). */
const INTERACTIVE_ONLY: readonly Permission[] = ['account:self', 'token:manage'];

function toView(token: ApiToken): ApiTokenDto {
  return {
    id: token.id,
    name: token.name,
    hint: token.tokenHint,
    permissions: token.permissions,
    packageIds: token.packageIds,
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    createdAt: token.createdAt.toISOString(),
  };
}

/** API tokens for CI: named, scoped to a subset of the owner's permissions, optionally to packages, expiring. */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
  ) {}

  async list(owner: Principal): Promise<ApiTokenDto[]> {
    const tokens = await this.db
      .getRepository(ApiToken)
      .find({ where: { userId: owner.userId }, order: { createdAt: 'DESC' } });
    return tokens.map(toView);
  }

  async create(owner: Principal, dto: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    this.assertGrantable(owner, dto.permissions);
    const expiresAt = this.expiry(dto.expiresAt);
    for (const [index, packageId] of (dto.packageIds ?? []).entries()) {
      if ((await this.access.packageRole(owner, packageId)) === null) {
        throw ValidationError.of(
          `packageIds[${index}]`,
          'is not a package you can reach',
          'package',
        );
      }
    }
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    try {
      const saved = await this.db.getRepository(ApiToken).save(
        this.db.getRepository(ApiToken).create({
          userId: owner.userId,
          name: dto.name,
          tokenHash: hashToken(token),
          tokenHint: `${token.slice(0, API_TOKEN_PREFIX.length + 4)}…`,
          permissions: dto.permissions,
          packageIds: dto.packageIds ?? null,
          expiresAt,
        }),
      );
      return { ...toView(saved), token };
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION)
        throw new NameConflictError('An API token', dto.name, 'among your tokens');
      throw error;
    }
  }

  async revoke(owner: Principal, id: string): Promise<void> {
    const token = await this.db.getRepository(ApiToken).findOneBy({ id, userId: owner.userId });
    if (!token) throw new NotFoundError('API token', id);
    if (token.revokedAt) return;
    token.revokedAt = new Date();
    await this.db.getRepository(ApiToken).save(token);
  }

  /**
   * Revokes every active token of a user, in the caller's transaction (password change or reset,
   * disable); enabling the user again does not bring them back.
   */
  async revokeAllForUser(m: EntityManager, userId: string): Promise<void> {
    const active = await m.find(ApiToken, { where: { userId, revokedAt: IsNull() } });
    const now = new Date();
    for (const token of active) token.revokedAt = now;
    if (active.length > 0) await m.save(active);
  }

  /** A token can carry only what its owner's global role could do (package roles are checked on use). */
  private assertGrantable(owner: Principal, permissions: Permission[]): void {
    permissions.forEach((permission, index) => {
      const rule = ruleOf(permission);
      if (INTERACTIVE_ONLY.includes(permission) || rule.stepUp) {
        throw ValidationError.of(
          `permissions[${index}]`,
          `"${permission}" needs an interactive session and cannot be given to a token`,
          'permission',
        );
      }
      if (rule.scope === 'global' && !roleAllows(owner.role, permission)) {
        throw ValidationError.of(
          `permissions[${index}]`,
          `your role ${owner.role} does not have "${permission}"`,
          'permission',
        );
      }
    });
  }

  private expiry(requested: string | undefined): Date {
    const now = Date.now();
    if (requested === undefined) return new Date(now + DEFAULT_DAYS * 86400_000);
    const at = new Date(requested);
    if (at.getTime() <= now)
      throw ValidationError.of('expiresAt', 'must be in the future', 'future');
    if (at.getTime() > now + MAX_DAYS * 86400_000)
      throw ValidationError.of('expiresAt', `must be at most ${MAX_DAYS} days ahead`, 'max');
    return at;
  }
}
