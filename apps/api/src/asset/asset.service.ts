import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { deleteRefusal, statusEditRefusal, type AssetType } from '@integrixs/domain';

import { runInTransaction } from '../core/database/transactions';
import { NotFoundError, StateConflictError, VersionConflictError } from '../core/errors/app-error';
import { actorName } from '../identity/actor-names';
import { type VisibilityScope } from '../identity/principal';
import { assertMayEdit, type AssetEditor } from './asset-editor';
import {
  addVersion,
  assertNameFree,
  ASSET_LABELS,
  currentVersion,
  lockAsset,
  lockLivePackage,
  saveAsset,
  splitSecrets,
} from './asset-rows';
import {
  AssetTypeRegistry,
  type AssetInput,
  type AssetSaveContext,
  type PreparedContent,
} from './asset-type-handler';
import { toAssetDetail } from './asset-views';
import { contentHash } from './content-hash';
import { type AssetDetailDto } from './dto/asset.dto';
import { PackageAsset } from './entities/package-asset.entity';

export { ASSET_LABELS, lockLivePackage } from './asset-rows';

/** How a delete was asked for: by whom, seeing what, and whether despite dependents. */
export interface DeleteOptions {
  readonly force?: boolean;
  /** Names only what it may read when refusing; by default nothing is named, only counted. */
  readonly visibility?: VisibilityScope;
}

/**
 * Writes of the generic asset registry: create, read, update (new immutable version when the
 * content changes), soft delete and restore, for every asset type, each driven through the
 * type's handler (asset-type-handler.ts) in one transaction. The asset row is locked while its
 * version is checked, so concurrent editors cannot overwrite each other; a handler's content
 * checks run before the transaction, its derived rows and edges inside it.
 */
@Injectable()
export class AssetService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly handlers: AssetTypeRegistry,
  ) {}

  async create(
    packageId: string,
    type: AssetType,
    input: AssetInput,
    visibility: VisibilityScope,
  ): Promise<AssetDetailDto> {
    const handler = this.handlers.get(type);
    const ctx = { packageId, visibility };
    const prepared = await handler.prepareCreate(input, ctx);
    const created = await runInTransaction(this.db, (m) =>
      this.createIn(m, packageId, type, input, prepared, ctx),
    );
    handler.afterCommit(created.id, 'saved');
    return created;
  }

  /**
   * Creates an asset with content its handler prepared, inside the caller's transaction (the
   * demo seeder creates its schemas together with their package).
   */
  async createIn(
    m: EntityManager,
    packageId: string,
    type: AssetType,
    input: AssetInput,
    prepared: PreparedContent,
    ctx: AssetSaveContext,
  ): Promise<AssetDetailDto> {
    const handler = this.handlers.get(type);
    await lockLivePackage(m, packageId);
    if (input.name === undefined) throw new Error('an asset is created with a name');
    await assertNameFree(m, packageId, type, input.name);
    const asset = m.create(PackageAsset, {
      packageId,
      type,
      name: input.name,
      description: input.description ?? '',
      tags: input.tags ?? [],
      status: input.status ?? 'DRAFT',
      currentVersion: 1,
    });
    await saveAsset(m, asset);
    await m.insert(handler.detailEntity, { assetId: asset.id });
    const { content, secrets } = splitSecrets(prepared.content, handler.secretFields);
    const version = await addVersion(m, asset.id, 1, content, input.message);
    const detail = toAssetDetail(asset, version, await actorName(m, asset.updatedBy));
    return handler.onSave(m, { asset, detail, prepared, secrets }, ctx);
  }

  /** The asset as its type shows it (404 when it is not of this type or package, or deleted). */
  async get(packageId: string, type: AssetType, assetId: string): Promise<AssetDetailDto> {
    const asset = await this.db
      .getRepository(PackageAsset)
      .findOneBy({ id: assetId, packageId, type });
    if (!asset) throw new NotFoundError(ASSET_LABELS[type], assetId);
    const m = this.db.manager;
    const detail = toAssetDetail(
      asset,
      await currentVersion(m, asset),
      await actorName(m, asset.updatedBy),
    );
    return this.handlers.get(type).view(m, detail);
  }

  async update(
    packageId: string,
    type: AssetType,
    assetId: string,
    input: AssetInput,
    expectedVersion: number,
    editor: AssetEditor,
    visibility: VisibilityScope,
  ): Promise<AssetDetailDto> {
    const handler = this.handlers.get(type);
    const current = await this.db
      .getRepository(PackageAsset)
      .findOneBy({ id: assetId, packageId, type });
    if (!current) throw new NotFoundError(ASSET_LABELS[type], assetId);
    const ctx = { packageId, visibility, editor };
    // Checked before the transaction, against the unlocked row: what a handler reads of it (a
    // schema's type) never changes, and the version check below refuses a stale editor anyway.
    const prepared = await handler.prepareUpdate(input, current, ctx);
    const updated = await runInTransaction(this.db, (m) =>
      this.updateIn(m, packageId, type, assetId, input, expectedVersion, prepared, ctx),
    );
    handler.afterCommit(assetId, 'saved');
    return updated;
  }

  private async updateIn(
    m: EntityManager,
    packageId: string,
    type: AssetType,
    assetId: string,
    input: AssetInput,
    expectedVersion: number,
    prepared: PreparedContent | undefined,
    ctx: AssetSaveContext & { editor: AssetEditor },
  ): Promise<AssetDetailDto> {
    const handler = this.handlers.get(type);
    const asset = await lockAsset(m, packageId, type, assetId);
    assertMayEdit(asset, ctx.editor, `${ASSET_LABELS[type]} ${assetId}`);
    let current = await currentVersion(m, asset);
    if (asset.version !== expectedVersion) {
      throw new VersionConflictError(
        `${ASSET_LABELS[type]} ${assetId}`,
        expectedVersion,
        toAssetDetail(asset, current, await actorName(m, asset.updatedBy)),
      );
    }
    if (input.name !== undefined && input.name.toLowerCase() !== asset.name.toLowerCase()) {
      await assertNameFree(m, packageId, type, input.name);
    }
    if (input.status !== undefined) {
      const refusal = statusEditRefusal(asset.status, input.status);
      if (refusal) throw new StateConflictError(refusal, 'status');
    }
    asset.name = input.name ?? asset.name;
    asset.description = input.description ?? asset.description;
    asset.tags = input.tags ?? asset.tags;
    asset.status = input.status ?? asset.status;
    const { content, secrets } = prepared
      ? splitSecrets(prepared.content, handler.secretFields)
      : { content: undefined, secrets: {} };
    if (prepared && contentHash(content) !== current.contentHash) {
      current = await addVersion(m, asset.id, asset.currentVersion + 1, content, input.message);
      asset.currentVersion = current.versionNumber;
    }
    await saveAsset(m, asset);
    const detail = toAssetDetail(asset, current, await actorName(m, asset.updatedBy));
    return handler.onSave(m, { asset, detail, prepared, secrets }, ctx);
  }

  async remove(
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
    expectedVersion?: number,
    options: DeleteOptions = {},
  ): Promise<void> {
    await runInTransaction(this.db, (m) =>
      this.removeIn(m, packageId, type, assetId, editor, expectedVersion, options),
    );
    this.handlers.get(type).afterCommit(assetId, 'deleted');
  }

  /** Soft-deletes inside the caller's transaction; the handler may refuse once the row is locked. */
  async removeIn(
    m: EntityManager,
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
    expectedVersion?: number,
    options: DeleteOptions = {},
  ): Promise<void> {
    const asset = await lockAsset(m, packageId, type, assetId);
    assertMayEdit(asset, editor, `${ASSET_LABELS[type]} ${assetId}`);
    if (expectedVersion !== undefined && asset.version !== expectedVersion) {
      const current = await currentVersion(m, asset);
      throw new VersionConflictError(
        `${ASSET_LABELS[type]} ${assetId}`,
        expectedVersion,
        toAssetDetail(asset, current, await actorName(m, asset.updatedBy)),
      );
    }
    const refusal = deleteRefusal(asset.status);
    if (refusal) throw new StateConflictError(refusal, 'status');
    await this.handlers.get(type).beforeDelete(m, asset, {
      packageId,
      editor,
      force: options.force ?? false,
      visibility: options.visibility ?? { all: false, userId: editor.userId, packageIds: [] },
    });
    await m.softRemove(asset);
  }

  /** Undoes a delete. Assets deleted together with their package come back only with the package. */
  async restore(
    packageId: string,
    type: AssetType,
    assetId: string,
    editor: AssetEditor,
  ): Promise<AssetDetailDto> {
    const handler = this.handlers.get(type);
    const restored = await runInTransaction(this.db, async (m) => {
      await lockLivePackage(m, packageId);
      const asset = await m.findOne(PackageAsset, {
        where: { id: assetId, packageId, type },
        withDeleted: true,
        lock: { mode: 'pessimistic_write' },
      });
      if (!asset) throw new NotFoundError(ASSET_LABELS[type], assetId);
      assertMayEdit(asset, editor, `${ASSET_LABELS[type]} ${assetId}`);
      if (asset.deletedAt !== null) {
        await assertNameFree(m, packageId, type, asset.name);
        await m.recover(asset);
        await handler.onRestore(m, asset);
      }
      return toAssetDetail(
        asset,
        await currentVersion(m, asset),
        await actorName(m, asset.updatedBy),
      );
    });
    handler.afterCommit(assetId, 'restored');
    return restored;
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
      const asset = await lockAsset(m, packageId, type, assetId);
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
      return toAssetDetail(
        asset,
        await currentVersion(m, asset),
        await actorName(m, asset.updatedBy),
      );
    });
  }
}
