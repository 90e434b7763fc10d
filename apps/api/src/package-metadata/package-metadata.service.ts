import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { AssetQueryService } from '../asset/asset-query.service';
import { AssetService } from '../asset/asset.service';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { SqlParams } from '../core/database/sql-params';
import { runInTransaction } from '../core/database/transactions';
import { NameConflictError, NotFoundError, VersionConflictError } from '../core/errors/app-error';
import { countedSqlPage } from '../core/listing/counted-page';
import { listFiltersSql, sortOrder, type CountedPage } from '../core/listing/keyset-page';
import { poolSql } from '../core/listing/pool-sql';
import { MembersService } from '../identity/members.service';
import { type VisibilityScope } from '../identity/principal';
import { restrictToVisiblePackages, visiblePackagesSql } from '../identity/visibility-filter';
import { type CreatePackageDto } from './dto/create-package.dto';
import { type PackageListQueryDto } from './dto/package-list-query.dto';
import { type PackageDto } from './dto/package.dto';
import { type UpdatePackageDto } from './dto/update-package.dto';
import { IntegrationPackage } from './entities/integration-package.entity';
import {
  PACKAGE_COUNT_COLUMNS,
  PACKAGE_ROW_COLUMNS,
  packageRowView,
  toPackageView,
  type PackageRow,
} from './package-views';

/**
 * Package containers: create, read, update, delete and restore. Packages carry little logic of
 * their own; deleting one soft-deletes its assets in the same transaction, and restoring it
 * brings back exactly those.
 */
@Injectable()
export class PackageMetadataService {
  private readonly sql;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly assets: AssetService,
    private readonly assetQueries: AssetQueryService,
    private readonly members: MembersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sql = poolSql(db);
  }

  /**
   * One round trip: the page, its capped `total` and each listed package's asset counts (joined
   * after the page is cut, so only its rows are counted), in plain SQL on the pool.
   */
  async list(query: PackageListQueryDto, scope: VisibilityScope): Promise<CountedPage<PackageDto>> {
    const params = new SqlParams();
    const where = [query.deleted === true ? 'p.deleted_at IS NOT NULL' : 'p.deleted_at IS NULL'];
    const visible = visiblePackagesSql(scope, 'p.id', params.bind);
    if (visible !== 'TRUE') where.push(visible);
    where.push(...listFiltersSql('p', query, params.bind));
    const page = await countedSqlPage<PackageRow>(
      this.sql,
      {
        alias: 'p',
        columns: PACKAGE_ROW_COLUMNS,
        from: 'FROM integration_packages p',
        countFrom: 'FROM integration_packages p',
        where,
        params,
        order: sortOrder(query.sort ?? 'name', 'p', 'name'),
        keysOf: (row) => [row.cursor_value, row.id],
        cap: this.config.listCountCap,
        estimate: visible === 'TRUE',
        extra: PACKAGE_COUNT_COLUMNS,
      },
      query,
    );
    return { ...page, items: page.items.map(packageRowView) };
  }

  async get(id: string): Promise<PackageDto> {
    const pkg = await this.db.getRepository(IntegrationPackage).findOneBy({ id });
    if (!pkg) throw new NotFoundError('Package', id);
    return this.withCounts(pkg);
  }

  /** Creates a package; its creator becomes its administrator member. */
  async create(
    dto: CreatePackageDto,
    creatorId: string,
    visibleTo: VisibilityScope,
  ): Promise<PackageDto> {
    return runInTransaction(this.db, async (m) => {
      const pkg = await this.createIn(m, dto, visibleTo);
      await this.members.putIn(m, pkg.id, creatorId, 'ADMINISTRATOR');
      return pkg;
    });
  }

  /** Creates a package inside the caller's transaction. */
  async createIn(
    m: EntityManager,
    dto: CreatePackageDto,
    visibleTo: VisibilityScope,
  ): Promise<PackageDto> {
    await this.assertNameFree(m, dto.name, visibleTo);
    const created = m.create(IntegrationPackage, {
      name: dto.name,
      description: dto.description ?? '',
      tags: dto.tags ?? [],
      owner: dto.owner ?? null,
    });
    return toPackageView(await m.save(created));
  }

  async update(
    id: string,
    dto: UpdatePackageDto,
    expectedVersion: number,
    visibleTo: VisibilityScope,
  ): Promise<PackageDto> {
    const pkg = await runInTransaction(this.db, async (m) => {
      const current = await this.lockLive(m, id);
      if (current.version !== expectedVersion) {
        throw new VersionConflictError(
          `Package ${id}`,
          expectedVersion,
          await this.withCounts(current),
        );
      }
      if (dto.name !== undefined && dto.name.toLowerCase() !== current.name.toLowerCase()) {
        await this.assertNameFree(m, dto.name, visibleTo, id);
      }
      current.name = dto.name ?? current.name;
      current.description = dto.description ?? current.description;
      current.tags = dto.tags ?? current.tags;
      current.owner = dto.owner === undefined ? current.owner : dto.owner;
      return m.save(current);
    });
    return this.withCounts(pkg);
  }

  async remove(id: string, expectedVersion?: number): Promise<void> {
    await runInTransaction(this.db, (m) => this.removeIn(m, id, expectedVersion));
  }

  /**
   * Soft-deletes a package and its live assets inside the caller's transaction, as one deletion
   * batch: restoring the package brings back exactly these assets.
   */
  async removeIn(m: EntityManager, id: string, expectedVersion?: number): Promise<void> {
    const pkg = await this.lockLive(m, id);
    if (expectedVersion !== undefined && pkg.version !== expectedVersion) {
      throw new VersionConflictError(`Package ${id}`, expectedVersion, await this.withCounts(pkg));
    }
    const batch = randomUUID();
    await this.assets.softDeleteAllInPackage(m, id, batch);
    pkg.deletionBatch = batch;
    await m.softRemove(pkg);
  }

  async restore(id: string, visibleTo: VisibilityScope): Promise<PackageDto> {
    const pkg = await runInTransaction(this.db, async (m) => {
      const found = await m.findOne(IntegrationPackage, {
        where: { id },
        withDeleted: true,
        lock: { mode: 'pessimistic_write' },
      });
      if (!found) throw new NotFoundError('Package', id);
      if (found.deletedAt === null) return found;
      await this.assertNameFree(m, found.name, visibleTo, id);
      await this.assets.restoreAllInPackage(m, id);
      return m.recover(found);
    });
    return this.withCounts(pkg);
  }

  private async withCounts(pkg: IntegrationPackage): Promise<PackageDto> {
    const counts = await this.assetQueries.countsByPackage([pkg.id]);
    return toPackageView(pkg, counts.get(pkg.id));
  }

  private async lockLive(m: EntityManager, id: string): Promise<IntegrationPackage> {
    const pkg = await m.findOne(IntegrationPackage, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!pkg) throw new NotFoundError('Package', id);
    return pkg;
  }

  /**
   * Names are unique among the live packages the caller can see (docs/decisions.md): a package
   * they cannot see never makes a name "taken", so a name reveals nothing. The advisory lock on
   * the name serialises concurrent creates and renames to it.
   */
  private async assertNameFree(
    m: EntityManager,
    name: string,
    visibleTo: VisibilityScope,
    exceptId?: string,
  ): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended(lower($1), 0))`, [name]);
    const qb = m
      .createQueryBuilder(IntegrationPackage, 'p')
      .where('lower(p.name) = lower(:name)', { name });
    if (exceptId) qb.andWhere('p.id <> :exceptId', { exceptId });
    if (await restrictToVisiblePackages(qb, 'p.id', visibleTo).getExists())
      throw new NameConflictError('A package', name, 'among the packages you can see');
  }
}
