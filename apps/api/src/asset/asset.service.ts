import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { deleteRefusal, statusEditRefusal, type AssetType } from '@integrixs/domain';

import { writeAudit } from '../core/audit/audit-writer';
import { sqlState, UNIQUE_VIOLATION } from '../core/database/database-errors';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import {
  NameConflictError,
  NotFoundError,
  StateConflictError,
  VersionConflictError,
} from '../core/errors/app-error';
import { currentActor } from '../core/request-context/request-context';
import { ASSET_DETAIL_ENTITIES } from './asset-details';
import { assertMayEdit, type AssetEditor } from './asset-editor';
import { toAssetDetail } from './asset-views';
import { contentHash } from './content-hash';
import { type AssetDetailDto } from './dto/asset.dto';
import { type CreateAssetDto } from './dto/create-asset.dto';
import { type UpdateAssetDto } from './dto/update-asset.dto';
import { AssetVersion } from './entities/asset-version.entity';
import { PackageAsset } from './entities/package-asset.entity';

export const ASSET_LABELS: Record<AssetType, string> = {
  SCHEMA: 'Schema',
  ADAPTER: 'Adapter',
  MAPPING: 'Mapping',
  FLOW: 'Flow',
};

/**
 * Writes of the generic asset registry: create, read, update (new immutable version when the
 * content changes), soft delete and restore, for every asset type. Each write is one
 * transaction; the asset row is locked while its version is checked, so concurrent editors
 * cannot overwrite each other.
 */
@Injectable()
export class AssetService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(packageId: string, type: AssetType, dto: CreateAssetDto): Promise<AssetDetailDto> {
    return runInTransaction(this.db, (m) => this.createIn(m, packageId, type, dto));
  }

  /** Creates an asset inside the caller's transaction (the demo seeder creates many at once). */
  async createIn(
    m: EntityManager,
    packageId: string,
    type: AssetType,
    dto: CreateAssetDto,
  ): Promise<AssetDetailDto> {
    await lockLivePackage(m, packageId);
    await this.assertNameFree(m, packageId, type, dto.name);
    const asset = m.create(PackageAsset, {
      packageId,
      type,
      name: dto.name,
      description: dto.description ?? '',
      tags: dto.tags ?? [],
      status: dto.status ?? 'DRAFT',
      currentVersion: 1,
    });
    await this.saveAsset(m, asset);
    await m.insert(ASSET_DETAIL_ENTITIES[type], { assetId: asset.id });
    const version = await this.addVersion(m, asset.id, 1, dto.content, dto.message);
    return toAssetDetail(asset, version);
  }

  async get(packageId: string, type: AssetType, assetId: string): Promise<AssetDetailDto> {
    const asset = await this.db
      .getRepository(PackageAsset)
      .findOneBy({ id: assetId, packageId, type });
    if (!asset) throw new NotFoundError(ASSET_LABELS[type], assetId);
    return toAssetDetail(asset, await this.currentVersion(this.db.manager, asset));
  }

  async update(
    packageId: string,
    type: AssetType,
    assetId: string,
    dto: UpdateAssetDto,
    expectedVersion: number,
    editor: AssetEditor,
  ): Promise<AssetDetailDto> {
    return runInTransaction(this.db, (m) =>
      this.updateIn(m, packageId, type, assetId, dto, expectedVersion, editor),
    );
  }

  /** Updates inside the caller's transaction (the schema library adds its own rows to it). */
  async updateIn(
    m: EntityManager,
    packageId: string,
    type: AssetType,
    assetId: string,
    dto: UpdateAssetDto,
    expectedVersion: number,
    editor: AssetEditor,
  ): Promise<AssetDetailDto> {
    const asset = await this.lockAsset(m, packageId, type, assetId);
    assertMayEdit(asset, editor, `${ASSET_LABELS[type]} ${assetId}`);
    let current = await this.currentVersion(m, asset);
    if (asset.version !== expectedVersion) {
      throw new VersionConflictError(
        `${ASSET_LABELS[type]} ${assetId}`,
        expectedVersion,
        toAssetDetail(asset, current),
      );
    }
    if (dto.name !== undefined && dto.name.toLowerCase() !== asset.name.toLowerCase()) {
      await this.assertNameFree(m, packageId, type, dto.name);
    }
    if (dto.status !== undefined) {
      const refusal = statusEditRefusal(asset.status, dto.status);
      if (refusal) throw new StateConflictError(refusal, 'status');
    }
    asset.name = dto.name ?? asset.name;
    asset.description = dto.description ?? asset.description;
    asset.tags = dto.tags ?? asset.tags;
    asset.status = dto.status ?? asset.status;
    if (dto.content !== undefined && contentHash(dto.content) !== current.contentHash) {
      current = await this.addVersion(
        m,
        asset.id,
        asset.currentVersion + 1,
        dto.content,
        dto.message,
      );
      asset.currentVersion = current.versionNumber;
    }
    await this.saveAsset(m, asset);
    return toAssetDetail(asset, current);
  }

  async remove(
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
    expectedVersion?: number,
  ): Promise<void> {
    await runInTransaction(this.db, (m) =>
      this.removeIn(m, packageId, type, assetId, editor, expectedVersion),
    );
  }

  /** Soft-deletes inside the caller's transaction; `check` may refuse once the row is locked. */
  async removeIn(
    m: EntityManager,
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
    expectedVersion?: number,
    check: (asset: PackageAsset) => Promise<void> = () => Promise.resolve(),
  ): Promise<void> {
    const asset = await this.lockAsset(m, packageId, type, assetId);
    assertMayEdit(asset, editor, `${ASSET_LABELS[type]} ${assetId}`);
    if (expectedVersion !== undefined && asset.version !== expectedVersion) {
      const current = await this.currentVersion(m, asset);
      throw new VersionConflictError(
        `${ASSET_LABELS[type]} ${assetId}`,
        expectedVersion,
        toAssetDetail(asset, current),
      );
    }
    const refusal = deleteRefusal(asset.status);
    if (refusal) throw new StateConflictError(refusal, 'status');
    await check(asset);
    await m.softRemove(asset);
  }

  /** Undoes a delete. Assets deleted together with their package come back only with the package. */
  async restore(
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
  ): Promise<AssetDetailDto> {
    return runInTransaction(this.db, async (m) => {
      await lockLivePackage(m, packageId);
      const asset = await m.findOne(PackageAsset, {
        where: { id: assetId, packageId, type },
        withDeleted: true,
        lock: { mode: 'pessimistic_write' },
      });
      if (!asset) throw new NotFoundError(ASSET_LABELS[type], assetId);
      assertMayEdit(asset, editor, `${ASSET_LABELS[type]} ${assetId}`);
      if (asset.deletedAt !== null) {
        await this.assertNameFree(m, packageId, type, asset.name);
        await m.recover(asset);
      }
      return toAssetDetail(asset, await this.currentVersion(m, asset));
    });
  }

  /** Locks the asset for `editor` (idempotent for them; 423 when someone else holds it). */
  async lock(
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
  ): Promise<AssetDetailDto> {
    return this.setLock(packageId, type, assetId, editor, true);
  }

  /** Unlocks: the locker or a package administrator. */
  async unlock(
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
  ): Promise<AssetDetailDto> {
    return this.setLock(packageId, type, assetId, editor, false);
  }

  private async setLock(
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
    locked: boolean,
  ): Promise<AssetDetailDto> {
    return runInTransaction(this.db, async (m) => {
      const asset = await this.lockAsset(m, packageId, type, assetId);
      assertMayEdit(asset, editor, `${ASSET_LABELS[type]} ${assetId}`);
      if (locked && asset.lockedBy !== editor.userId) {
        asset.lockedBy = editor.userId;
        asset.lockedAt = new Date();
        await m.save(asset);
      } else if (!locked && asset.lockedBy !== null) {
        asset.lockedBy = null;
        asset.lockedAt = null;
        await m.save(asset);
      }
      return toAssetDetail(asset, await this.currentVersion(m, asset));
    });
  }

  /** Soft-deletes every live asset of a package as part of deletion `batch` (the package's). */
  async softDeleteAllInPackage(
    m: EntityManager,
    packageId: string,
    batch: string,
  ): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      m,
      `UPDATE package_assets
          SET deleted_at = now(), deleted_by = $2, deletion_batch = $3,
              updated_at = now(), updated_by = $2, version = version + 1
        WHERE package_id = $1 AND deleted_at IS NULL
        RETURNING id`,
      [packageId, currentActor(), batch],
    );
    await writeAudit(
      m,
      rows.map(({ id }) => ({
        action: 'SOFT_DELETE',
        entityType: 'asset',
        entityId: id,
        packageId,
        changes: { cascade: { after: 'package deleted' } },
      })),
    );
    return rows.length;
  }

  /**
   * Restores the assets deleted together with the package (its deletion batch), not those
   * deleted on their own before. Call it before the package itself is restored.
   */
  async restoreAllInPackage(m: EntityManager, packageId: string): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      m,
      `UPDATE package_assets a
          SET deleted_at = NULL, deleted_by = NULL, deletion_batch = NULL,
              updated_at = now(), updated_by = $2, version = a.version + 1
         FROM integration_packages p
        WHERE p.id = $1 AND a.package_id = p.id AND a.deleted_at IS NOT NULL
          AND a.deletion_batch = p.deletion_batch
        RETURNING a.id`,
      [packageId, currentActor()],
    );
    await writeAudit(
      m,
      rows.map(({ id }) => ({
        action: 'RESTORE',
        entityType: 'asset',
        entityId: id,
        packageId,
        changes: { cascade: { after: 'package restored' } },
      })),
    );
    return rows.length;
  }

  private async lockAsset(
    m: EntityManager,
    packageId: string,
    type: AssetType,
    assetId: string,
  ): Promise<PackageAsset> {
    const asset = await m.findOne(PackageAsset, {
      where: { id: assetId, packageId, type },
      lock: { mode: 'pessimistic_write' },
    });
    if (!asset) throw new NotFoundError(ASSET_LABELS[type], assetId);
    return asset;
  }

  private async currentVersion(m: EntityManager, asset: PackageAsset): Promise<AssetVersion> {
    return m.findOneByOrFail(AssetVersion, {
      assetId: asset.id,
      versionNumber: asset.currentVersion,
    });
  }

  private async addVersion(
    m: EntityManager,
    assetId: string,
    versionNumber: number,
    content: unknown,
    message: string | undefined,
  ): Promise<AssetVersion> {
    const version = m.create(AssetVersion, {
      assetId,
      versionNumber,
      content,
      contentHash: contentHash(content),
      message: message ?? '',
    });
    return m.save(version);
  }

  private async assertNameFree(
    m: EntityManager,
    packageId: string,
    type: AssetType,
    name: string,
  ): Promise<void> {
    const taken = await m
      .createQueryBuilder(PackageAsset, 'a')
      .where('a.package_id = :packageId AND a.type = :type AND lower(a.name) = lower(:name)', {
        packageId,
        type,
        name,
      })
      .getExists();
    if (taken) throw new NameConflictError(ASSET_LABELS[type], name, 'in this package');
  }

  /** Saves, turning a unique-index race (two creates with one name at once) into a 409. */
  private async saveAsset(m: EntityManager, asset: PackageAsset): Promise<void> {
    try {
      await m.save(asset);
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) {
        throw new NameConflictError(ASSET_LABELS[asset.type], asset.name, 'in this package');
      }
      throw error;
    }
  }
}

/**
 * Checks the package exists and is not deleted, holding a KEY SHARE lock until commit so the
 * package cannot be deleted half-way through writing one of its assets.
 */
export async function lockLivePackage(m: EntityManager, packageId: string): Promise<void> {
  const rows = await m.query<unknown[]>(
    'SELECT 1 FROM integration_packages WHERE id = $1 AND deleted_at IS NULL FOR KEY SHARE',
    [packageId],
  );
  if (rows.length === 0) throw new NotFoundError('Package', packageId);
}
