import { type OnModuleInit } from '@nestjs/common';
import { type EntityManager, type EntityTarget } from 'typeorm';

import { type AssetType } from '@integrixs/domain';

import {
  type AssetDeleteContext,
  type AssetInput,
  type AssetSaveContext,
  type AssetTypeHandler,
  type AssetTypeRegistry,
  type PreparedContent,
  type SavedAsset,
} from '../asset/asset-type-handler';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { type PackageAsset } from '../asset/entities/package-asset.entity';
import { type DependencyService } from './dependency.service';

/**
 * The base of every asset type whose assets others can depend on (schemas, adapters; mappings
 * and flows once their issues give them edges). It registers the handler with the
 * AssetTypeRegistry and holds the delete rule of the graph in one place:
 *
 *  - `beforeDelete`: refused (409 naming the dependents the caller can read) while live assets
 *    depend on this one, unless an administrator forces it; in a package-wide delete only
 *    dependents in OTHER packages count (DependencyService.assertDeletable);
 *  - `onRestore`: nothing to do, since edges stay while an asset is deleted (they go only when
 *    it is purged), so a restored asset's graph is whole again;
 *  - `afterCommit`: nothing cached per asset (a type with caches overrides it).
 *
 * asset/ may not import dependency/ (apps/api/eslint.config.mjs), so this lives here and not
 * beside BasicAssetTypeHandler. Subclasses are Nest providers that pass both services up.
 */
export abstract class DependencyAwareAssetHandler<V extends AssetDetailDto = AssetDetailDto>
  implements AssetTypeHandler<V>, OnModuleInit
{
  abstract readonly type: AssetType;
  abstract readonly detailEntity: EntityTarget<{ assetId: string }>;
  abstract readonly secretFields: readonly string[];

  protected constructor(
    private readonly registry: AssetTypeRegistry,
    protected readonly graph: DependencyService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  abstract prepareCreate(input: AssetInput, ctx: AssetSaveContext): Promise<PreparedContent>;
  abstract prepareUpdate(
    input: AssetInput,
    current: PackageAsset,
    ctx: AssetSaveContext,
  ): Promise<PreparedContent | undefined>;
  abstract onSave(m: EntityManager, saved: SavedAsset, ctx: AssetSaveContext): Promise<V>;
  abstract view(m: EntityManager, detail: AssetDetailDto): Promise<V>;

  /** Refused while other live assets depend on this one, unless forced by an administrator. */
  async beforeDelete(
    m: EntityManager,
    asset: PackageAsset,
    ctx: AssetDeleteContext,
  ): Promise<void> {
    await this.graph.assertDeletable(m, asset, ctx);
  }

  /** The asset's edges were kept while it was deleted: nothing to rebuild. */
  onRestore(_m: EntityManager, _asset: PackageAsset): Promise<void> {
    return Promise.resolve();
  }

  afterCommit(_assetId: string, _change: 'saved' | 'deleted' | 'restored'): void {
    // Nothing cached per asset unless the type says so.
  }
}
