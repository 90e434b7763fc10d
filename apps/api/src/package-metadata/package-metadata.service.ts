import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import {
  PackageAssetsService,
  type ChangedAssets,
  type PackageDeleteOptions,
} from '../asset/package-assets.service';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { runInTransaction } from '../core/database/transactions';
import { NameConflictError, NotFoundError, VersionConflictError } from '../core/errors/app-error';
import { countedSqlPage } from '../core/listing/counted-page';
import { listFiltersSql, sortOrder, type CountedPage } from '../core/listing/keyset-page';
import { poolSql } from '../core/listing/pool-sql';
import { SYSTEM_ACTOR } from '../core/request-context/request-context';
import { actorName } from '../identity/actor-names';
import { MembersService } from '../identity/members.service';
import { type VisibilityScope } from '../identity/principal';
import { restrictToVisiblePackages, visiblePackagesSql } from '../identity/visibility-filter';
import { type CreatePackageDto } from './dto/create-package.dto';
import { type PackageListQueryDto } from './dto/package-list-query.dto';
import { type PackageDto } from './dto/package.dto';
import { type UpdatePackageDto } from './dto/update-package.dto';
import { IntegrationPackage } from './entities/integration-package.entity';
import {
  PACKAGE_EXTRA_COLUMNS,
  PACKAGE_ROW_COLUMNS,
  packageRowView,
  toPackageView,
  type PackageRow,
} from './package-views';

/** A delete by the system: not forced, naming nothing it refuses for. */
const UNNAMED_DELETE: PackageDeleteOptions = {
  editor: { userId: SYSTEM_ACTOR, packageRole: 'VIEWER' },
  visibility: { all: false, userId: SYSTEM_ACTOR, packageIds: [] },
  force: false,
};

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
    private readonly assets: PackageAssetsService,
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
    if (query.owner !== undefined)
      where.push(`lower(p.owner) = lower(${params.bind(query.owner)})`);
    if (query.updatedFrom !== undefined) {
      where.push(`p.updated_at >= ${params.bind(query.updatedFrom)}::timestamptz`);
    }
    if (query.updatedTo !== undefined) {
      where.push(`p.updated_at < ${params.bind(query.updatedTo)}::timestamptz`);
    }
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
        extra: PACKAGE_EXTRA_COLUMNS,
      },
      query,
    );
    return { ...page, items: page.items.map(packageRowView) };
  }

  /** The live package with its asset counts and updater's name, in one statement. */
  async get(id: string, m: EntityManager = this.db.manager): Promise<PackageDto> {
    const [row] = await queryRows<PackageRow>(
      m,
      `SELECT ${PACKAGE_ROW_COLUMNS}, ${PACKAGE_EXTRA_COLUMNS.columns}
         FROM integration_packages p ${PACKAGE_EXTRA_COLUMNS.joins}
        WHERE p.id = $1 AND p.deleted_at IS NULL`,
      [id],
    );
    if (!row) throw new NotFoundError('Package', id);
    return packageRowView(row);
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
    const saved = await m.save(created);
    return toPackageView(saved, await actorName(m, saved.updatedBy));
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
        throw new VersionConflictError(`Package ${id}`, expectedVersion, await this.get(id, m));
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
    return this.get(pkg.id);
  }

  /**
   * Soft-deletes a package and its live assets as one deletion batch: restoring the package
   * brings back exactly these assets. Each asset's type handler is asked first, as for an asset
   * delete: assets of OTHER packages depending on one refuse it (409) unless `force`.
   */
  async remove(id: string, options: PackageDeleteOptions, expectedVersion?: number): Promise<void> {
    const deleted = await runInTransaction(this.db, (m) =>
      this.removeIn(m, id, options, expectedVersion),
    );
    this.assets.afterCommit(deleted, 'deleted');
  }

  /**
   * `remove` inside the caller's transaction; the caller hands the returned assets to
   * `PackageAssetsService.afterCommit` once it committed. By default (in-process callers) a
   * dependent in another package refuses the delete without being named.
   */
  async removeIn(
    m: EntityManager,
    id: string,
    options: PackageDeleteOptions = UNNAMED_DELETE,
    expectedVersion?: number,
  ): Promise<ChangedAssets> {
    const pkg = await this.lockLive(m, id);
    if (expectedVersion !== undefined && pkg.version !== expectedVersion) {
      throw new VersionConflictError(`Package ${id}`, expectedVersion, await this.get(id, m));
    }
    const batch = randomUUID();
    const assets = await this.assets.removeAll(m, id, batch, options);
    pkg.deletionBatch = batch;
    await m.softRemove(pkg);
    return assets;
  }

  async restore(id: string, visibleTo: VisibilityScope): Promise<PackageDto> {
    let restored: ChangedAssets = [];
    const pkg = await runInTransaction(this.db, async (m) => {
      const found = await m.findOne(IntegrationPackage, {
        where: { id },
        withDeleted: true,
        lock: { mode: 'pessimistic_write' },
      });
      if (!found) throw new NotFoundError('Package', id);
      if (found.deletedAt === null) return found;
      await this.assertNameFree(m, found.name, visibleTo, id);
      restored = await this.assets.restoreAll(m, id);
      return m.recover(found);
    });
    this.assets.afterCommit(restored, 'restored');
    return this.get(pkg.id);
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
