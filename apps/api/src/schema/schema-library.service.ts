import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { type SchemaType } from '@integrixs/domain';

import { type AssetEditor } from '../asset/asset-editor';
import { AssetService } from '../asset/asset.service';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { runInTransaction } from '../core/database/transactions';
import {
  ForbiddenError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/errors/app-error';
import { type VisibilityScope } from '../identity/principal';
import {
  type CreateSchemaDto,
  type LibraryChoiceDto,
  type SchemaContentDto,
  type UpdateSchemaDto,
} from './dto/schema-input.dto';
import {
  type PayloadValidationDto,
  type SchemaDetailDto,
  type SchemaDiffDto,
  type SchemaStructureDto,
  type SchemaVersionDetailDto,
  type SchemaVersionPageDto,
} from './dto/schema-views.dto';
import { PackageSchema } from './entities/package-schema.entity';
import { LibraryBinder, type LibraryBinding } from './library-resolver';
import { type Payload } from './payload-body';
import { SavedSchemas } from './saved-schemas';
import { type SchemaBundle } from './schema-bundle';
import { bundleOf, namespaceOf } from './schema-content';
import { dependentsOf, pinnedChoices, writeImportEdges } from './schema-dependencies';
import { diffSchemas } from './schema-diff';
import { SchemaEngine, type CompiledSchema } from './schema-engine';
import { DependentsError } from './schema-library-errors';
import { libraryDependencies } from './schema-references';
import { versionDetail, versionPage } from './schema-versions';
import { subtree } from './structure-focus';

/** How far a diff follows the asset graph to list what a change affects. */
const IMPACT_DEPTH = 10;

/** A compiled bundle and the library schemas it was compiled against. */
export interface CheckedSchema {
  compiled: CompiledSchema;
  bindings: LibraryBinding[];
}

/** How a save resolves library imports: as the caller can read, with their explicit choices. */
interface SaveScope {
  visibility: VisibilityScope;
  choices?: LibraryChoiceDto[];
}

/**
 * The schema library: schemas are assets whose content is a bundle (`{ type, main, files }`).
 * Saving compiles the bundle first (422 with every problem, nothing written), then writes the
 * version, the schema's namespace and its dependency rows in one transaction. Validation,
 * structure and diffs use compiled versions cached per version and per version of the library
 * schemas they import: pinned across packages, current within one (see schema-dependencies.ts).
 */
@Injectable()
export class SchemaLibraryService implements OnModuleDestroy {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly assets: AssetService,
    private readonly engine: SchemaEngine,
    private readonly saved: SavedSchemas,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.engine.close();
  }

  async create(
    packageId: string,
    dto: CreateSchemaDto,
    visibility: VisibilityScope,
  ): Promise<SchemaDetailDto> {
    const bundle = await bundleOf(dto.type, dto);
    const checked = await this.check(bundle, packageId, {
      visibility,
      choices: dto.libraryChoices,
    });
    return runInTransaction(this.db, (m) =>
      this.createIn(m, packageId, dto, bundle, checked.compiled, checked.bindings),
    );
  }

  /** Creates a checked schema inside the caller's transaction (the demo seeder uses it too). */
  async createIn(
    m: EntityManager,
    packageId: string,
    dto: Omit<CreateSchemaDto, keyof SchemaContentDto | 'type'> & { message?: string },
    bundle: SchemaBundle,
    compiled: CompiledSchema,
    bindings: LibraryBinding[] = [],
  ): Promise<SchemaDetailDto> {
    const asset = await this.assets.createIn(m, packageId, 'SCHEMA', {
      name: dto.name,
      description: dto.description,
      tags: dto.tags,
      status: dto.status,
      content: bundle,
      message: dto.message,
    });
    return this.record(m, asset, { compiled, bindings });
  }

  async get(packageId: string, schemaId: string): Promise<SchemaDetailDto> {
    const asset = await this.assets.get(packageId, 'SCHEMA', schemaId);
    const details = await this.db
      .getRepository(PackageSchema)
      .findOneByOrFail({ assetId: asset.id });
    return { ...asset, schemaType: details.schemaType, targetNamespace: details.targetNamespace };
  }

  async update(
    packageId: string,
    schemaId: string,
    dto: UpdateSchemaDto,
    expectedVersion: number,
    editor: AssetEditor,
    visibility: VisibilityScope,
  ): Promise<SchemaDetailDto> {
    const { type, document, fileName, files, zip, content, main } = dto;
    const fields = {
      name: dto.name,
      description: dto.description,
      tags: dto.tags,
      status: dto.status,
      message: dto.message,
    };
    const current = await this.get(packageId, schemaId);
    if (type !== undefined && type !== current.schemaType) {
      throw ValidationError.of(
        'type',
        `a schema never changes type (this one is ${current.schemaType}); create a new schema instead`,
      );
    }
    const given = { document, fileName, files, zip, content, main };
    const hasContent = [document, files, zip, content].some((x) => x !== undefined);
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
      return this.save(packageId, schemaId, fields, undefined, expectedVersion, editor);
    }
    const bundle = await bundleOf(current.schemaType as SchemaType, given);
    return this.save(
      packageId,
      schemaId,
      fields,
      { bundle, scope: { visibility, choices: dto.libraryChoices } },
      expectedVersion,
      editor,
    );
  }

  /** Makes the content of version `n` the current content again, as a new version. */
  async rollback(
    packageId: string,
    schemaId: string,
    n: number,
    message: string | undefined,
    expectedVersion: number,
    editor: AssetEditor,
    scope: SaveScope,
  ): Promise<SchemaDetailDto> {
    const target = await this.version(packageId, schemaId, n);
    return this.save(
      packageId,
      schemaId,
      { message: message ?? `Rolled back to version ${n}` },
      { bundle: target.content as SchemaBundle, scope },
      expectedVersion,
      editor,
    );
  }

  /** Soft-deletes; refused while other live assets depend on the schema, unless forced by an admin. */
  async remove(
    packageId: string,
    schemaId: string,
    editor: AssetEditor,
    expectedVersion: number | undefined,
    force: boolean,
    visibility: VisibilityScope,
  ): Promise<void> {
    await runInTransaction(this.db, (m) =>
      this.assets.removeIn(m, packageId, 'SCHEMA', schemaId, editor, expectedVersion, async () => {
        const { dependents, hidden } = await dependentsOf(m, schemaId, visibility);
        if (dependents.length + hidden === 0) return;
        if (!force) throw new DependentsError(schemaId, dependents, hidden);
        if (editor.packageRole !== 'ADMINISTRATOR') {
          throw new ForbiddenError(
            'only administrators of the package may force the deletion of a schema other assets depend on',
          );
        }
      }),
    );
    this.saved.clear();
    this.engine.invalidate(`${schemaId}@`, true);
  }

  async versions(
    packageId: string,
    schemaId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<SchemaVersionPageDto> {
    const asset = await this.assets.get(packageId, 'SCHEMA', schemaId);
    return versionPage(this.db.manager, asset, limit, cursor);
  }

  async version(packageId: string, schemaId: string, n: number): Promise<SchemaVersionDetailDto> {
    const asset = await this.assets.get(packageId, 'SCHEMA', schemaId);
    return versionDetail(this.db.manager, asset.id, n);
  }

  async structure(
    packageId: string,
    schemaId: string,
    query: { version?: number; root?: string; path?: string },
  ): Promise<SchemaStructureDto> {
    const { version, compiled } = await this.compiled(packageId, schemaId, query.version, (c) => c);
    const { root, path } = query;
    let structure = this.engine.structure(compiled, { root, under: path });
    if (path !== undefined) structure = subtree(structure, path);
    if (structure.roots.length === 0 && (root !== undefined || path !== undefined)) {
      throw path !== undefined
        ? ValidationError.of('path', `no field of this schema is at "${path}"`)
        : ValidationError.of(
            'root',
            `"${root}" is not a global element (XSD) or an operation or message (WSDL) of this schema`,
          );
    }
    return { ...structure, version };
  }

  async validate(
    packageId: string,
    schemaId: string,
    payload: Payload,
    n: number | undefined,
    root: string | undefined,
  ): Promise<PayloadValidationDto> {
    const saved = await this.saved.get(packageId, schemaId);
    const wanted = saved.schemaType === 'JSON_SCHEMA' ? 'json' : 'xml';
    if (payload.kind !== wanted) {
      throw new UnsupportedMediaTypeError(
        `schema ${schemaId} is a ${saved.schemaType}: it validates ${wanted.toUpperCase()} payloads`,
        wanted === 'xml' ? 'application/xml' : 'application/json',
      );
    }
    const version = n ?? saved.currentVersion;
    const result = await this.engine.validate(
      this.saved.key(saved, version),
      () => this.saved.source(saved, version),
      payload.kind === 'xml' ? payload.text : { value: payload.value },
      { root },
    );
    return { version, valid: result.valid, errors: result.errors };
  }

  async diff(
    packageId: string,
    schemaId: string,
    from: number | undefined,
    to: number | undefined,
    visibility: VisibilityScope,
  ): Promise<SchemaDiffDto> {
    const saved = await this.saved.get(packageId, schemaId);
    const newer = to ?? saved.currentVersion;
    const older = from ?? Math.max(1, newer - 1);
    const view = async (n: number) => {
      const source = await this.saved.source(saved, n);
      return this.engine.withCompiled(
        this.saved.key(saved, n),
        () => Promise.resolve(source),
        (compiled) => ({ bundle: source.bundle, structure: this.engine.structure(compiled) }),
      );
    };
    const diff = diffSchemas(await view(older), await view(newer));
    const impact = await dependentsOf(this.db.manager, schemaId, visibility, IMPACT_DEPTH);
    return {
      from: older,
      to: newer,
      ...diff,
      dependents: impact.dependents,
      hiddenDependents: impact.hidden,
    };
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

  /** Compiles a bundle that must stand alone (no library schemas), e.g. the demo's. */
  async checkStandalone(bundle: SchemaBundle): Promise<CompiledSchema> {
    return this.engine.compile(bundle, { keep: false });
  }

  private async save(
    packageId: string,
    schemaId: string,
    fields: Omit<UpdateSchemaDto, keyof SchemaContentDto | 'type' | 'version'> & {
      message?: string;
    },
    content: { bundle: SchemaBundle; scope: SaveScope } | undefined,
    expectedVersion: number,
    editor: AssetEditor,
  ): Promise<SchemaDetailDto> {
    const checked = content
      ? await this.check(content.bundle, packageId, content.scope, schemaId)
      : undefined;
    const result = await runInTransaction(this.db, async (m) => {
      const asset = await this.assets.updateIn(
        m,
        packageId,
        'SCHEMA',
        schemaId,
        { ...fields, content: content?.bundle },
        expectedVersion,
        editor,
      );
      if (!checked) {
        const details = await m.findOneByOrFail(PackageSchema, { assetId: schemaId });
        return {
          ...asset,
          schemaType: details.schemaType,
          targetNamespace: details.targetNamespace,
        };
      }
      return this.record(m, asset, checked);
    });
    this.saved.clear();
    return result;
  }

  /** Writes what compiling found: the namespace, and one dependency row per library schema used. */
  private async record(
    m: EntityManager,
    asset: AssetDetailDto,
    { compiled, bindings }: CheckedSchema,
  ): Promise<SchemaDetailDto> {
    const targetNamespace = namespaceOf(compiled);
    await m.update(
      PackageSchema,
      { assetId: asset.id },
      { schemaType: compiled.type, targetNamespace },
    );
    const direct = new Set(libraryDependencies(this.engine.references(compiled)));
    await writeImportEdges(m, asset, bindings, direct);
    return {
      ...asset,
      schemaType: compiled.type,
      targetNamespace,
      warnings: this.engine.warnings(compiled),
    };
  }

  private async compiled<R>(
    packageId: string,
    schemaId: string,
    n: number | undefined,
    use: (compiled: CompiledSchema) => R,
  ): Promise<{ version: number; compiled: R }> {
    const saved = await this.saved.get(packageId, schemaId);
    const version = n ?? saved.currentVersion;
    const compiled = await this.engine.withCompiled(
      this.saved.key(saved, version),
      () => this.saved.source(saved, version),
      use,
    );
    return { version, compiled };
  }
}
