import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { isUuid, type Role } from '@integrixs/domain';

import { writeAudit } from '../core/audit/audit-writer';
import { NotFoundError, StateConflictError } from '../core/errors/app-error';
import { type MemberDto } from './dto/member.dto';
import { PackageMember } from './entities/package-member.entity';
import { UsersService } from './users.service';

/**
 * Who belongs to a package and in which role. Package administrators manage it, without the
 * added user's consent, so every addition is shown to them: a MEMBER_ADDED audit entry about
 * them (GET /api/audit/me) and who added them, when, in the member list.
 */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
  ) {}

  async list(packageId: string): Promise<MemberDto[]> {
    const members = await this.db
      .getRepository(PackageMember)
      .find({ where: { packageId }, order: { createdAt: 'ASC' } });
    const ids = new Set(members.flatMap((m) => [m.userId, m.createdBy]));
    const names = await this.users.summaries([...ids].filter(isUuid));
    return members.map((m) => ({
      userId: m.userId,
      username: names.get(m.userId)?.username ?? '',
      displayName: names.get(m.userId)?.displayName ?? '',
      role: m.role,
      since: m.createdAt.toISOString(),
      addedAt: m.createdAt.toISOString(),
      addedBy: m.createdBy,
      addedByUsername: names.get(m.createdBy)?.username ?? null,
    }));
  }

  /** Adds or changes a member inside the caller's transaction (package creation adds its creator). */
  async putIn(m: EntityManager, packageId: string, userId: string, role: Role): Promise<void> {
    await this.serialise(m, packageId);
    const existing = await m.findOne(PackageMember, {
      where: { packageId, userId },
      lock: { mode: 'pessimistic_write' },
    });
    if (existing) {
      if (existing.role === 'ADMINISTRATOR' && role !== 'ADMINISTRATOR')
        await this.assertAnotherAdmin(m, packageId, userId);
      existing.role = role;
      await m.save(existing);
      return;
    }
    await m.save(m.create(PackageMember, { packageId, userId, role }));
    await writeAudit(m, [
      {
        action: 'MEMBER_ADDED',
        entityType: 'package_member',
        entityId: userId,
        packageId,
        changes: { role: { after: role } },
      },
    ]);
  }

  async put(packageId: string, userId: string, role: Role): Promise<MemberDto[]> {
    if ((await this.users.roleOf(userId)) === null) throw new NotFoundError('User', userId);
    await this.db.transaction((m) => this.putIn(m, packageId, userId, role));
    return this.list(packageId);
  }

  async remove(packageId: string, userId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await this.serialise(m, packageId);
      const member = await m.findOne(PackageMember, {
        where: { packageId, userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!member) throw new NotFoundError('Member', userId);
      if (member.role === 'ADMINISTRATOR') await this.assertAnotherAdmin(m, packageId, userId);
      await m.remove(member);
    });
  }

  /**
   * Membership changes of one package run one at a time (a transaction-scoped advisory lock on
   * the package), so two administrators cannot demote or remove each other at once.
   */
  private async serialise(m: EntityManager, packageId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('package-members:' || $1, 0))`, [
      packageId,
    ]);
  }

  /** A package keeps at least one administrator member, so someone can always manage it. */
  private async assertAnotherAdmin(
    m: EntityManager,
    packageId: string,
    userId: string,
  ): Promise<void> {
    const rows = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM package_members WHERE package_id = $1 AND role = 'ADMINISTRATOR' AND user_id <> $2`,
      [packageId, userId],
    );
    if ((rows[0]?.n ?? 0) === 0)
      throw new StateConflictError('a package keeps at least one administrator member');
  }
}
