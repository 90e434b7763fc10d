import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';

import { deleteRefusal, type AssetType } from '@integrixs/domain';

import { writeAudit } from '../core/audit/audit-writer';
import { queryRows } from '../core/database/query-rows';
import { StateConflictError } from '../core/errors/app-error';
import { currentActor } from '../core/request-context/request-context';
import { type VisibilityScope } from '../identity/principal';
import { type AssetEditor } from './asset-editor';
import { AssetTypeRegistry } from './asset-type-handler';
import { PackageAsset } from './entities/package-asset.entity';

/** Who deletes a whole package, seeing what, and whether despite dependents elsewhere. */
export interface PackageDeleteOptions {
  readonly editor: AssetEditor;
  readonly visibility: VisibilityScope;
  readonly force: boolean;
}

/** Assets a package delete or restore changed: hand them to `afterCommit` once it committed. */
export type ChangedAssets = readonly { readonly id: string; readonly type: AssetType }[];

/**
 * The assets of a package as a whole, for the package's delete and restore: each asset still
 * goes through its type's handler (asset-type-handler.ts), as an asset delete or restore does,
 * so a type's refusals and caches hold for package deletes too; the rows are written in bulk,
 * inside the package's transaction.
 */
@Injectable()
export class PackageAssetsService {
  constructor(private readonly handlers: AssetTypeRegistry) {}

  /**
   * Soft-deletes every live asset of a package as part of deletion `batch` (the package's).
   * Each asset is locked and asked to its handler first (`beforeDelete` with `withPackage`):
   * assets of other packages depending on one refuse the delete (409) unless `force`.
   */
  async removeAll(
    m: EntityManager,
    packageId: string,
    batch: string,
    options: PackageDeleteOptions,
  ): Promise<ChangedAssets> {
    const assets = await m.find(PackageAsset, {
      where: { packageId },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const asset of assets) {
      const refusal = deleteRefusal(asset.status);
      if (refusal) throw new StateConflictError(refusal, 'status');
      await this.handlers.get(asset.type).beforeDelete(m, asset, {
        packageId,
        editor: options.editor,
        force: options.force,
        visibility: options.visibility,
        withPackage: true,
      });
    }
    const rows = await queryRows<{ id: string; type: AssetType }>(
      m,
      `UPDATE package_assets
          SET deleted_at = now(), deleted_by = $2, deletion_batch = $3,
              updated_at = now(), updated_by = $2, version = version + 1
        WHERE package_id = $1 AND deleted_at IS NULL
        RETURNING id, type`,
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
    return rows;
  }

  /**
   * Restores the assets deleted together with the package (its deletion batch), not those
   * deleted on their own before, and runs each one's `onRestore`. Call it before the package
   * itself is restored.
   */
  async restoreAll(m: EntityManager, packageId: string): Promise<ChangedAssets> {
    const rows = await queryRows<{ id: string; type: AssetType }>(
      m,
      `UPDATE package_assets a
          SET deleted_at = NULL, deleted_by = NULL, deletion_batch = NULL,
              updated_at = now(), updated_by = $2, version = a.version + 1
         FROM integration_packages p
        WHERE p.id = $1 AND a.package_id = p.id AND a.deleted_at IS NOT NULL
          AND a.deletion_batch = p.deletion_batch
        RETURNING a.id, a.type`,
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
    if (rows.length > 0) {
      const restored = await m.findBy(PackageAsset, { id: In(rows.map((r) => r.id)) });
      for (const asset of restored) await this.handlers.get(asset.type).onRestore(m, asset);
    }
    return rows;
  }

  /** Tells each asset's handler, once the package delete or restore committed. */
  afterCommit(assets: ChangedAssets, change: 'deleted' | 'restored'): void {
    for (const { id, type } of assets) this.handlers.get(type).afterCommit(id, change);
  }
}
