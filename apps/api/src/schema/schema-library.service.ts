import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import {
  diffSchemas,
  SchemaEngine,
  subtree,
  type CompiledSchema,
  type SchemaBundle,
  type WsdlOperation,
} from '@integrixs/schema-engine';

import { type AssetEditor } from '../asset/asset-editor';
import { AssetService } from '../asset/asset.service';
import { UnsupportedMediaTypeError, ValidationError } from '../core/errors/app-error';
import { DependencyService, withoutPath } from '../dependency/dependency.service';
import { type VisibilityScope } from '../identity/principal';
import {
  type CreateSchemaDto,
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
import { type Payload } from './payload-body';
import { SavedSchemas } from './saved-schemas';
import { type SaveScope } from './schema-asset.handler';
import { versionDetail, versionPage } from './schema-versions';

/**
 * What the schema library adds to the generic asset routes: rollback, versions, structure,
 * payload validation and diffs (create, read, update and delete go through the generic asset
 * controller and service, driven by SchemaAssetHandler, which compiles and records). Validation,
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
    private readonly graph: DependencyService,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.engine.close();
  }

  /**
   * Creates a schema the caller compiled already, inside the caller's transaction (the demo
   * seeder creates its schemas together with their package). Its imports bind nothing.
   */
  async createIn(
    m: EntityManager,
    packageId: string,
    dto: Omit<CreateSchemaDto, keyof SchemaContentDto | 'type'> & { message?: string },
    bundle: SchemaBundle,
    compiled: CompiledSchema,
  ): Promise<SchemaDetailDto> {
    const visibility: VisibilityScope = { all: false, userId: '', packageIds: [] };
    const prepared = { content: bundle, state: { compiled, bindings: [] } };
    const ctx = { packageId, visibility };
    return this.assets.createIn(
      m,
      packageId,
      'SCHEMA',
      dto,
      prepared,
      ctx,
    ) as Promise<SchemaDetailDto>;
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
    // The old bundle goes through the schema's handler like any new content: compiled again
    // against today's library (what it imports may have changed since) and versioned if new.
    return this.assets.update(
      packageId,
      'SCHEMA',
      schemaId,
      {
        content: target.content,
        libraryChoices: scope.choices,
        message: message ?? `Rolled back to version ${n}`,
      } as UpdateSchemaDto,
      expectedVersion,
      editor,
      scope.visibility,
    ) as Promise<SchemaDetailDto>;
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
    const impact = await this.graph.impact(schemaId, visibility);
    return {
      from: older,
      to: newer,
      ...diff,
      dependents: impact.items.map(withoutPath),
      hiddenDependents: impact.hidden,
    };
  }

  /**
   * A WSDL schema's current version for adapters: its operations as bound (services, ports),
   * the main document's text and path, and the bundle's files its imports and includes name (the
   * SOAP connection test parses them from memory). Null: not a WSDL.
   */
  async wsdl(
    packageId: string,
    schemaId: string,
  ): Promise<{
    operations: WsdlOperation[];
    xml: string;
    main: string;
    files: { path: string; text: string }[];
  } | null> {
    const saved = await this.saved.get(packageId, schemaId);
    if (saved.schemaType !== 'WSDL') return null;
    const { compiled } = await this.compiled(packageId, schemaId, undefined, (c) =>
      c.type === 'WSDL' ? c.wsdl.operations : [],
    );
    const { bundle } = await this.saved.source(saved, saved.currentVersion);
    const xml = bundle.files.find((f) => f.path === bundle.main)?.text ?? '';
    return { operations: compiled, xml, main: bundle.main, files: bundle.files };
  }

  /** Compiles a bundle that must stand alone (no library schemas), e.g. the demo's. */
  async checkStandalone(bundle: SchemaBundle): Promise<CompiledSchema> {
    return this.engine.compile(bundle, { keep: false });
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
