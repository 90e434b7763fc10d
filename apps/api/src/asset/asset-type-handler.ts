import { Injectable } from '@nestjs/common';
import { type EntityManager, type EntityTarget } from 'typeorm';

import { type AssetType, type EditableAssetStatus } from '@integrixs/domain';

import { type VisibilityScope } from '../identity/principal';
import { type AssetEditor } from './asset-editor';
import { type AssetDetailDto } from './dto/asset.dto';
import { type PackageAsset } from './entities/package-asset.entity';

/**
 * The one extension point for asset types (issue 9). The generic AssetService owns the registry
 * row (package_assets), the versions (asset_versions), names, locks, optimistic locking and the
 * transaction; everything a type means by its content comes from its handler:
 *
 *  - `prepare…`: validate and normalise the content BEFORE the transaction (a schema compiles
 *    here, which takes long enough that no row lock should be held meanwhile);
 *  - `onSave`: inside the save's transaction, after the row and version are written: the derived
 *    detail columns and the dependency edges the content implies (through the DependencyService);
 *  - `beforeDelete` / `onRestore`: inside the transaction, with the asset row locked (also for
 *    each asset a package delete or restore takes with it: `AssetDeleteContext.withPackage`);
 *  - `afterCommit`: in-process caches that must forget the asset once the change is visible;
 *  - `view`: the detail answer of the type's GET/POST/PUT routes.
 *
 * The type modules (schema, adapter, mapping, flow) register their handler into the
 * AssetTypeRegistry; asset/ never imports them.
 */
export interface AssetTypeHandler<V extends AssetDetailDto = AssetDetailDto> {
  readonly type: AssetType;
  /** The detail table (class-table inheritance): one row per asset, keyed by `assetId`. */
  readonly detailEntity: EntityTarget<{ assetId: string }>;
  /**
   * Top-level fields of the content that are secrets: the generic service takes them out of the
   * content before it is versioned or hashed (asset_versions is immutable and exported; a secret
   * there could never be removed) and hands them to `onSave` to store encrypted elsewhere.
   */
  readonly secretFields: readonly string[];
  prepareCreate(input: AssetInput, ctx: AssetSaveContext): Promise<PreparedContent>;
  /** `undefined`: the update changes no content (only name, description, tags, status). */
  prepareUpdate(
    input: AssetInput,
    current: PackageAsset,
    ctx: AssetSaveContext,
  ): Promise<PreparedContent | undefined>;
  onSave(m: EntityManager, saved: SavedAsset, ctx: AssetSaveContext): Promise<V>;
  beforeDelete(m: EntityManager, asset: PackageAsset, ctx: AssetDeleteContext): Promise<void>;
  onRestore(m: EntityManager, asset: PackageAsset): Promise<void>;
  afterCommit(assetId: string, change: 'saved' | 'deleted' | 'restored'): void;
  view(m: EntityManager, detail: AssetDetailDto): Promise<V>;
}

/** The fields every asset type's create/update body has; the rest is the type's own content. */
export interface AssetInput {
  name?: string;
  description?: string;
  tags?: string[];
  status?: EditableAssetStatus;
  message?: string;
  content?: unknown;
}

/** Who saves, and what they may read (library imports resolve only within it). */
export interface AssetSaveContext {
  readonly packageId: string;
  readonly visibility: VisibilityScope;
  /** Absent on create (nobody can hold a lock on an asset that does not exist yet). */
  readonly editor?: AssetEditor;
}

export interface AssetDeleteContext extends AssetSaveContext {
  readonly editor: AssetEditor;
  /** The caller asked to delete although other assets depend on this one. */
  readonly force: boolean;
  /**
   * The asset is deleted together with its whole package (the package's delete): assets of the
   * same package go with it, so only dependents in other packages may refuse the delete.
   */
  readonly withPackage?: boolean;
}

/** A handler's checked content: what is versioned, and what it worked out to get there. */
export interface PreparedContent {
  readonly content: unknown;
  /** Opaque to the generic service; handed back to `onSave` (e.g. a compiled schema). */
  readonly state?: unknown;
}

/** What the generic service wrote, as `onSave` sees it. */
export interface SavedAsset {
  readonly asset: PackageAsset;
  readonly detail: AssetDetailDto;
  /** `undefined` when the save changed no content. */
  readonly prepared: PreparedContent | undefined;
  /** The secret fields taken out of the content (empty when the type has none). */
  readonly secrets: Readonly<Record<string, unknown>>;
}

/** The handlers of every asset type, filled by the type modules when the application starts. */
@Injectable()
export class AssetTypeRegistry {
  private readonly handlers = new Map<AssetType, AssetTypeHandler>();

  register(handler: AssetTypeHandler): void {
    if (this.handlers.has(handler.type)) {
      throw new Error(`asset type ${handler.type} has two handlers`);
    }
    this.handlers.set(handler.type, handler);
  }

  /** The handler of `type`; a missing one is a wiring mistake (its module is not imported). */
  get(type: AssetType): AssetTypeHandler {
    const handler = this.handlers.get(type);
    if (!handler) throw new Error(`no handler is registered for asset type ${type}`);
    return handler;
  }
}

/**
 * A handler for a type whose content is plain JSON the API does not interpret yet (adapters,
 * mappings and flows until their issues): the content is versioned as given, there are no derived
 * columns, edges or secrets, and the view is the generic asset detail.
 */
export class BasicAssetTypeHandler implements AssetTypeHandler {
  readonly secretFields: readonly string[] = [];

  constructor(
    readonly type: AssetType,
    readonly detailEntity: EntityTarget<{ assetId: string }>,
  ) {}

  prepareCreate(input: AssetInput): Promise<PreparedContent> {
    return Promise.resolve({ content: input.content });
  }

  prepareUpdate(input: AssetInput): Promise<PreparedContent | undefined> {
    return Promise.resolve(input.content === undefined ? undefined : { content: input.content });
  }

  onSave(m: EntityManager, saved: SavedAsset): Promise<AssetDetailDto> {
    return this.view(m, saved.detail);
  }

  beforeDelete(): Promise<void> {
    return Promise.resolve();
  }

  onRestore(): Promise<void> {
    return Promise.resolve();
  }

  afterCommit(): void {
    // Nothing cached per asset.
  }

  view(_m: EntityManager, detail: AssetDetailDto): Promise<AssetDetailDto> {
    return Promise.resolve(detail);
  }
}
