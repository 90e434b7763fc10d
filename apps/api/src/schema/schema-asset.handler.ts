import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import {
  libraryDependencies,
  SchemaEngine,
  type CompiledSchema,
  type SchemaBundle,
} from '@integrixs/schema-engine';

import {
  AssetTypeRegistry,
  type AssetInput,
  type AssetSaveContext,
  type PreparedContent,
  type SavedAsset,
} from '../asset/asset-type-handler';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { type PackageAsset } from '../asset/entities/package-asset.entity';
import { ValidationError } from '../core/errors/app-error';
import { DependencyAwareAssetHandler } from '../dependency/dependency-aware-asset.handler';
import { DependencyService } from '../dependency/dependency.service';
import { type VisibilityScope } from '../identity/principal';
import {
  type CreateSchemaDto,
  type LibraryChoiceDto,
  type UpdateSchemaDto,
} from './dto/schema-input.dto';
import { type SchemaDetailDto } from './dto/schema-views.dto';
import { PackageSchema } from './entities/package-schema.entity';
import { LibraryBinder, type LibraryBinding } from './library-resolver';
import { SavedSchemas } from './saved-schemas';
import { bundleOf, namespaceOf } from './schema-content';
import { pinnedChoices } from './schema-dependencies';

/** A compiled bundle and the library schemas it was compiled against. */
export interface CheckedSchema {
  compiled: CompiledSchema;
  bindings: LibraryBinding[];
}

/** How a save resolves library imports: as the caller can read, with their explicit choices. */
export interface SaveScope {
  visibility: VisibilityScope;
  choices?: LibraryChoiceDto[];
}

/**
 * The schema asset type: content is a bundle (`{ type, main, files }`). Preparing compiles it
 * (422 with every problem, nothing written; 409 when a library import needs a choice); saving
 * records the type and namespace (package_schemas) and one dependency edge per library schema
 * the compile used (SCHEMA_IMPORT, pinned across packages, see schema-dependencies.ts). A schema
 * has no secret fields. Deletes are refused while others import it (DependencyAwareAssetHandler).
 */
@Injectable()
export class SchemaAssetHandler extends DependencyAwareAssetHandler<SchemaDetailDto> {
  readonly type = 'SCHEMA' as const;
  readonly detailEntity = PackageSchema;
  readonly secretFields: readonly string[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    registry: AssetTypeRegistry,
    private readonly engine: SchemaEngine,
    private readonly saved: SavedSchemas,
    graph: DependencyService,
  ) {
    super(registry, graph);
  }

  async prepareCreate(input: AssetInput, ctx: AssetSaveContext): Promise<PreparedContent> {
    const dto = input as CreateSchemaDto;
    const bundle = await bundleOf(dto.type, dto);
    const state = await this.check(bundle, ctx.packageId, {
      visibility: ctx.visibility,
      choices: dto.libraryChoices,
    });
    return { content: bundle, state };
  }

  async prepareUpdate(
    input: AssetInput,
    current: PackageAsset,
    ctx: AssetSaveContext,
  ): Promise<PreparedContent | undefined> {
    const dto = input as UpdateSchemaDto;
    const { schemaType } = await this.db
      .getRepository(PackageSchema)
      .findOneByOrFail({ assetId: current.id });
    if (dto.type !== undefined && dto.type !== schemaType) {
      throw ValidationError.of(
        'type',
        `a schema never changes type (this one is ${schemaType}); create a new schema instead`,
      );
    }
    const hasContent = [dto.document, dto.files, dto.zip, dto.content].some((x) => x !== undefined);
    if (!hasContent) {
      const stray = (['main', 'fileName', 'libraryChoices'] as const).find(
        (k) => dto[k] !== undefined,
      );
      if (stray) {
        throw ValidationError.of(
          stray,
          'is only used together with new content (document, files or zip)',
        );
      }
      return undefined;
    }
    const bundle = await bundleOf(schemaType, dto);
    const scope = { visibility: ctx.visibility, choices: dto.libraryChoices };
    return { content: bundle, state: await this.check(bundle, ctx.packageId, scope, current.id) };
  }

  /** Writes what compiling found: the namespace, and one dependency edge per library schema used. */
  async onSave(
    m: EntityManager,
    { detail, prepared }: SavedAsset,
    ctx: AssetSaveContext,
  ): Promise<SchemaDetailDto> {
    if (!prepared) return this.view(m, detail);
    const { compiled, bindings } = prepared.state as CheckedSchema;
    const targetNamespace = namespaceOf(compiled);
    await m.update(
      PackageSchema,
      { assetId: detail.id },
      { schemaType: compiled.type, targetNamespace },
    );
    const direct = new Set(libraryDependencies(this.engine.references(compiled)));
    await this.graph.replaceEdges(
      m,
      detail,
      bindings.map((b) => ({
        toAssetId: b.assetId,
        kind: 'SCHEMA_IMPORT' as const,
        namespace: b.namespace,
        // Within the package an import follows the current version; across packages it is
        // pinned to the version the saver could read.
        pinnedVersion: b.packageId === detail.packageId ? null : b.version,
        transitive: !direct.has(b.assetId),
      })),
      ctx.visibility,
    );
    return {
      ...detail,
      schemaType: compiled.type,
      targetNamespace,
      warnings: this.engine.warnings(compiled),
    };
  }

  /** Compiled versions bind library schemas by liveness and version: forget what changed. */
  override afterCommit(assetId: string, change: 'saved' | 'deleted' | 'restored'): void {
    this.saved.clear();
    if (change === 'deleted') this.engine.invalidate(`${assetId}@`, true);
  }

  async view(m: EntityManager, detail: AssetDetailDto): Promise<SchemaDetailDto> {
    const details = await m.findOneByOrFail(PackageSchema, { assetId: detail.id });
    return { ...detail, schemaType: details.schemaType, targetNamespace: details.targetNamespace };
  }

  /**
   * Compiles a bundle to check it (nothing is kept in the validator pool), resolving library
   * imports as the caller can read them: 400 for a bad choice, 409 when an import needs one.
   */
  async check(
    bundle: SchemaBundle,
    packageId: string,
    scope: SaveScope,
    schemaId?: string,
  ): Promise<CheckedSchema> {
    const binder = new LibraryBinder(this.db.manager, bundle.type, packageId, scope.visibility, {
      excludeAssetId: schemaId,
      choices: scope.choices,
      pinned: schemaId === undefined ? undefined : await pinnedChoices(this.db.manager, schemaId),
    });
    await binder.checkChoices();
    let compiled: CompiledSchema;
    try {
      compiled = await this.engine.compile(bundle, { resolver: binder.resolver, keep: false });
    } catch (error) {
      binder.assertNoRefusal();
      throw error;
    }
    binder.assertNoRefusal();
    binder.assertChoicesUsed();
    return { compiled, bindings: binder.bindings() };
  }
}
