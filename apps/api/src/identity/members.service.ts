import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { type Role } from '@integrixs/domain';

import { NotFoundError, StateConflictError } from '../core/errors/app-error';
import { type MemberDto } from './dto/member.dto';
import { PackageMember } from './entities/package-member.entity';
import { UsersService } from './users.service';

/** Who belongs to a package and in which role. Package administrators manage it. */
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
    const names = await this.users.summaries(members.map((m) => m.userId));
    return members.map((m) => ({
      userId: m.userId,
      username: names.get(m.userId)?.username ?? '',
      displayName: names.get(m.userId)?.displayName ?? '',
      role: m.role,
      since: m.createdAt.toISOString(),
    }));
  }

  /** Adds or changes a member inside the caller's transaction (package creation adds its creator). */
  async putIn(m: EntityManager, packageId: string, userId: string, role: Role): Promise<void> {
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
  }

  async put(packageId: string, userId: string, role: Role): Promise<MemberDto[]> {
    if ((await this.users.roleOf(userId)) === null) throw new NotFoundError('User', userId);
    await this.db.transaction((m) => this.putIn(m, packageId, userId, role));
    return this.list(packageId);
  }

  async remove(packageId: string, userId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const member = await m.findOne(PackageMember, {
        where: { packageId, userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!member) throw new NotFoundError('Member', userId);
      if (member.role === 'ADMINISTRATOR') await this.assertAnotherAdmin(m, packageId, userId);
      await m.remove(member);
    });
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
