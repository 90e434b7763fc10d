import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { type SchemaType } from '@integrixs/domain';

import { type AssetEditor } from '../asset/asset-editor';
import { AssetService } from '../asset/asset.service';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { queryRows } from '../core/database/query-rows';
import {
  ForbiddenError,
  NotFoundError,
  StateConflictError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/errors/app-error';
import { PackageAssetDependency } from '../dependency/entities/package-asset-dependency.entity';
import { type VisibilityScope } from '../identity/principal';
import {
  type CreateSchemaDto,
  type SchemaContentDto,
  type UpdateSchemaDto,
} from './dto/schema-input.dto';
import {
  type DependentAssetDto,
  type PayloadValidationDto,
  type SchemaDetailDto,
  type SchemaDiffDto,
  type SchemaStructureDto,
  type SchemaVersionDetailDto,
  type SchemaVersionDto,
  type SchemaVersionPageDto,
} from './dto/schema-views.dto';
import { PackageSchema } from './entities/package-schema.entity';
import { libraryResolver, type LibraryScope } from './library-resolver';
import { type Payload } from './payload-body';
import { bundleFromZip, createBundle, type SchemaBundle } from './schema-bundle';
import { diffSchemas } from './schema-diff';
import { SchemaEngine, type CompiledSchema } from './schema-engine';
import { libraryDependencies } from './schema-references';
import { SchemaVersionCache } from './schema-version-cache';
import { subtree } from './structure-focus';

/** How far a diff follows the asset graph to list what a change affects. */
const IMPACT_DEPTH = 10;

/** The ways to give a schema's content; exactly one per request. */
const CONTENT_FIELDS = ['document', 'files', 'zip', 'content'] as const;

const DEFAULT_FILE_NAMES: Record<SchemaType, string> = {
  XSD: 'schema.xsd',
  WSDL: 'service.wsdl',
  JSON_SCHEMA: 'schema.json',
};

/** A schema version as the validate/structure/diff paths load it. */
interface VersionRow {
  current_version: number;
  schema_type: SchemaType;
  /** The library schemas it depends on (transitively), with their current versions. */
  dependencies: string[];
  fingerprint: string;
}

/**
 * The schema library: schemas are assets whose content is a bundle (`{ type, main, files }`).
 * Saving compiles the bundle first (422 with every problem, nothing written), then writes the
 * version, the schema's namespace and its dependency rows in one transaction. Validation,
 * structure and diffs use compiled versions cached per version and per state of the library
 * schemas they import.
 */
@Injectable()
export class SchemaLibraryService implements OnModuleDestroy {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly assets: AssetService,
    private readonly engine: SchemaEngine,
    private readonly current: SchemaVersionCache,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.engine.close();
  }

  async create(
    packageId: string,
    dto: CreateSchemaDto,
    visibility: VisibilityScope,
  ): Promise<SchemaDetailDto> {
    const bundle = bundleOf(dto.type, dto);
    const compiled = await this.check(bundle, packageId, { kind: 'visible', visibility });
    return this.db.transaction((m) => this.createIn(m, packageId, dto, bundle, compiled));
  }

  /** Creates a checked schema inside the caller's transaction (the demo seeder uses it too). */
  async createIn(
    m: EntityManager,
    packageId: string,
    dto: Omit<CreateSchemaDto, keyof SchemaContentDto | 'type'> & { message?: string },
    bundle: SchemaBundle,
    compiled: CompiledSchema,
  ): Promise<SchemaDetailDto> {
    const asset = await this.assets.createIn(m, packageId, 'SCHEMA', {
      name: dto.name,
      description: dto.description,
      tags: dto.tags,
      status: dto.status,
      content: bundle,
      message: dto.message,
    });
    return this.record(m, asset, compiled);
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
      if (main !== undefined || fileName !== undefined) {
        throw ValidationError.of(
          main !== undefined ? 'main' : 'fileName',
          'is only used together with new content (document, files or zip)',
        );
      }
      return this.save(packageId, schemaId, fields, undefined, expectedVersion, editor);
    }
    const bundle = bundleOf(current.schemaType as SchemaType, given);
    return this.save(
      packageId,
      schemaId,
      fields,
      { bundle, scope: { kind: 'visible', visibility } },
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
    expectedVersion: number | undefined,
    editor: AssetEditor,
    visibility: VisibilityScope,
  ): Promise<SchemaDetailDto> {
    const current = await this.get(packageId, schemaId);
    const target = await this.version(packageId, schemaId, n);
    return this.save(
      packageId,
      schemaId,
      { message: message ?? `Rolled back to version ${n}` },
      { bundle: target.content as SchemaBundle, scope: { kind: 'visible', visibility } },
      expectedVersion ?? current.version,
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
  ): Promise<void> {
    await this.db.transaction((m) =>
      this.assets.removeIn(m, packageId, 'SCHEMA', schemaId, editor, expectedVersion, async () => {
        const dependents = await this.dependentsIn(m, schemaId);
        if (dependents.length === 0) return;
        if (!force) throw new DependentsError(schemaId, dependents);
        if (editor.packageRole !== 'ADMINISTRATOR') {
          throw new ForbiddenError(
            'only administrators of the package may force the deletion of a schema other assets depend on',
          );
        }
      }),
    );
    this.current.clear();
    this.engine.invalidate(`${schemaId}@`, true);
  }

  async versions(
    packageId: string,
    schemaId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<SchemaVersionPageDto> {
    const before = cursor === undefined ? null : Number(cursor);
    if (before !== null && (!Number.isInteger(before) || before < 1)) {
      throw ValidationError.of('cursor', 'is not a cursor this list returned');
    }
    const asset = await this.assets.get(packageId, 'SCHEMA', schemaId);
    const rows = await queryRows<VersionListRow>(
      this.db.manager,
      `SELECT v.version_number, v.content_hash, v.message, v.created_at, v.created_by, u.username
         FROM asset_versions v LEFT JOIN users u ON u.id::text = v.created_by
        WHERE v.asset_id = $1 AND ($2::int IS NULL OR v.version_number < $2)
        ORDER BY v.version_number DESC
        LIMIT $3`,
      [asset.id, before, limit + 1],
    );
    const items = rows.slice(0, limit).map(versionView);
    return {
      items,
      total: asset.currentVersion,
      nextCursor: rows.length > limit ? String(items[items.length - 1].version) : null,
    };
  }

  async version(packageId: string, schemaId: string, n: number): Promise<SchemaVersionDetailDto> {
    const asset = await this.assets.get(packageId, 'SCHEMA', schemaId);
    const [row] = await queryRows<VersionListRow & { content: unknown }>(
      this.db.manager,
      `SELECT v.version_number, v.content_hash, v.message, v.created_at, v.created_by, u.username,
              v.content
         FROM asset_versions v LEFT JOIN users u ON u.id::text = v.created_by
        WHERE v.asset_id = $1 AND v.version_number = $2`,
      [asset.id, n],
    );
    if (!row) throw new NotFoundError(`Version ${n} of schema`, schemaId);
    return { ...versionView(row), content: row.content };
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
    const row = await this.versionRow(packageId, schemaId);
    const wanted = row.schema_type === 'JSON_SCHEMA' ? 'json' : 'xml';
    if (payload.kind !== wanted) {
      throw new UnsupportedMediaTypeError(
        `schema ${schemaId} is a ${row.schema_type}: it validates ${wanted.toUpperCase()} payloads`,
        wanted === 'xml' ? 'application/xml' : 'application/json',
      );
    }
    const version = n ?? row.current_version;
    const result = await this.engine.validate(
      cacheKey(schemaId, version, row.fingerprint),
      () => this.source(packageId, schemaId, version, row),
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
  ): Promise<SchemaDiffDto> {
    const row = await this.versionRow(packageId, schemaId);
    const newer = to ?? row.current_version;
    const older = from ?? Math.max(1, newer - 1);
    const view = async (n: number) => {
      const source = await this.source(packageId, schemaId, n, row);
      return this.engine.withCompiled(
        cacheKey(schemaId, n, row.fingerprint),
        () => Promise.resolve(source),
        (compiled) => ({ bundle: source.bundle, structure: this.engine.structure(compiled) }),
      );
    };
    const diff = diffSchemas(await view(older), await view(newer));
    return {
      from: older,
      to: newer,
      ...diff,
      dependents: await this.dependentsIn(this.db.manager, schemaId, IMPACT_DEPTH),
    };
  }

  /** Compiles a bundle to check it (nothing is kept in the validator pool). */
  async check(
    bundle: SchemaBundle,
    packageId: string,
    scope: LibraryScope,
    excludeAssetId?: string,
  ): Promise<CompiledSchema> {
    return this.engine.compile(bundle, {
      resolver: libraryResolver(this.db.manager, bundle.type, packageId, scope, excludeAssetId),
      keep: false,
    });
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
    content: { bundle: SchemaBundle; scope: LibraryScope } | undefined,
    expectedVersion: number,
    editor: AssetEditor,
  ): Promise<SchemaDetailDto> {
    const compiled = content
      ? await this.check(content.bundle, packageId, content.scope, schemaId)
      : undefined;
    const saved = await this.db.transaction(async (m) => {
      const asset = await this.assets.updateIn(
        m,
        packageId,
        'SCHEMA',
        schemaId,
        { ...fields, content: content?.bundle },
        expectedVersion,
        editor,
      );
      if (!compiled) {
        const details = await m.findOneByOrFail(PackageSchema, { assetId: schemaId });
        return {
          ...asset,
          schemaType: details.schemaType,
          targetNamespace: details.targetNamespace,
        };
      }
      return this.record(m, asset, compiled);
    });
    this.current.clear();
    return saved;
  }

  /** Writes what compiling found: the namespace and one dependency row per library schema used. */
  private async record(
    m: EntityManager,
    asset: AssetDetailDto,
    compiled: CompiledSchema,
  ): Promise<SchemaDetailDto> {
    const targetNamespace = namespaceOf(compiled);
    await m.update(
      PackageSchema,
      { assetId: asset.id },
      { schemaType: compiled.type, targetNamespace },
    );
    const wanted = new Set(libraryDependencies(this.engine.references(compiled)));
    const existing = await m.findBy(PackageAssetDependency, {
      fromAssetId: asset.id,
      kind: 'SCHEMA_IMPORT',
    });
    const stale = existing.filter((d) => !wanted.has(d.toAssetId));
    if (stale.length > 0) await m.remove(stale);
    const have = new Set(existing.map((d) => d.toAssetId));
    const added = [...wanted]
      .filter((id) => !have.has(id))
      .map((toAssetId) =>
        m.create(PackageAssetDependency, {
          fromAssetId: asset.id,
          toAssetId,
          kind: 'SCHEMA_IMPORT',
          pinnedVersion: null,
        }),
      );
    if (added.length > 0) await m.save(added);
    return {
      ...asset,
      schemaType: compiled.type,
      targetNamespace,
      warnings: this.engine.warnings(compiled),
    };
  }

  /**
   * Live assets that depend on the schema: directly (`depth` 1), or through other assets up to
   * `maxDepth` hops (impact analysis), each once at its nearest distance.
   */
  private async dependentsIn(
    m: EntityManager,
    schemaId: string,
    maxDepth = 1,
  ): Promise<DependentAssetDto[]> {
    return queryRows<DependentAssetDto>(
      m,
      `WITH RECURSIVE hit(id, kind, depth) AS (
         SELECT from_asset_id, kind, 1 FROM package_asset_dependencies WHERE to_asset_id = $1
         UNION
         SELECT d.from_asset_id, d.kind, hit.depth + 1
           FROM package_asset_dependencies d JOIN hit ON d.to_asset_id = hit.id
          WHERE hit.depth < $2
       )
       SELECT * FROM (
         SELECT DISTINCT ON (a.id) a.id, a.package_id AS "packageId", a.type, a.name, hit.kind,
                hit.depth
           FROM hit JOIN package_assets a ON a.id = hit.id AND a.deleted_at IS NULL
          WHERE a.id <> $1
          ORDER BY a.id, hit.depth
       ) found
       ORDER BY depth, name, id`,
      [schemaId, maxDepth],
    );
  }

  /**
   * The schema's current version and what its compiled form depends on: the library schemas
   * it imports, transitively, with their current versions (part of the cache key, so a new
   * version of an imported schema is picked up by every API instance without a message).
   */
  private versionRow(packageId: string, schemaId: string): Promise<VersionRow> {
    return this.current.get(`${packageId}|${schemaId}`, () =>
      this.loadVersionRow(packageId, schemaId),
    );
  }

  private async loadVersionRow(packageId: string, schemaId: string): Promise<VersionRow> {
    const [row] = await queryRows<VersionRow>(
      this.db.manager,
      `WITH RECURSIVE deps(id) AS (
         SELECT to_asset_id FROM package_asset_dependencies
          WHERE from_asset_id = $2 AND kind = 'SCHEMA_IMPORT'
         UNION
         SELECT d.to_asset_id FROM package_asset_dependencies d JOIN deps ON d.from_asset_id = deps.id
          WHERE d.kind = 'SCHEMA_IMPORT'
       )
       SELECT a.current_version, s.schema_type,
              coalesce(array_agg(t.id ORDER BY t.id) FILTER (WHERE t.id IS NOT NULL), '{}') AS dependencies,
              coalesce(string_agg(t.id || ':' || t.current_version || ':' || (t.deleted_at IS NULL), ',' ORDER BY t.id), '') AS fingerprint
         FROM package_assets a
         JOIN package_schemas s ON s.asset_id = a.id
         LEFT JOIN deps ON true
         LEFT JOIN package_assets t ON t.id = deps.id
        WHERE a.id = $2 AND a.package_id = $1 AND a.type = 'SCHEMA' AND a.deleted_at IS NULL
        GROUP BY a.id, s.asset_id`,
      [packageId, schemaId],
    );
    if (!row) throw new NotFoundError('Schema', schemaId);
    return row;
  }

  private async source(
    packageId: string,
    schemaId: string,
    n: number,
    row: VersionRow,
  ): Promise<{ bundle: SchemaBundle; resolver: ReturnType<typeof libraryResolver> }> {
    const version = await this.version(packageId, schemaId, n);
    return {
      bundle: version.content as SchemaBundle,
      resolver: libraryResolver(
        this.db.manager,
        row.schema_type,
        packageId,
        { kind: 'dependencies', assetIds: row.dependencies },
        schemaId,
      ),
    };
  }

  private async compiled<R>(
    packageId: string,
    schemaId: string,
    n: number | undefined,
    use: (compiled: CompiledSchema) => R,
  ): Promise<{ version: number; compiled: R }> {
    const row = await this.versionRow(packageId, schemaId);
    const version = n ?? row.current_version;
    const compiled = await this.engine.withCompiled(
      cacheKey(schemaId, version, row.fingerprint),
      () => this.source(packageId, schemaId, version, row),
      use,
    );
    return { version, compiled };
  }
}

/** 409: other assets depend on the schema. Lists them. */
export class DependentsError extends StateConflictError {
  constructor(schemaId: string, dependents: DependentAssetDto[]) {
    const names = dependents.map((d) => `${d.type.toLowerCase()} "${d.name}"`).join(', ');
    super(
      `schema ${schemaId} cannot be deleted: ${dependents.length} asset(s) depend on it (${names}); change them first, or ask a package administrator to delete with force=true`,
    );
    this.extensions['dependents'] = dependents;
  }
}

interface VersionListRow {
  version_number: number;
  content_hash: string;
  message: string;
  created_at: Date;
  created_by: string;
  username: string | null;
}

function versionView(row: VersionListRow): SchemaVersionDto {
  return {
    version: row.version_number,
    contentHash: row.content_hash,
    message: row.message,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    author: row.username ?? row.created_by,
  };
}

function cacheKey(schemaId: string, version: number, fingerprint: string): string {
  return `${schemaId}@${version}|${fingerprint}`;
}

/** The bundle from exactly one of `document`, `files` or `zip`; 400/422 naming what is wrong. */
export function bundleOf(type: SchemaType, dto: SchemaContentDto): SchemaBundle {
  const given = CONTENT_FIELDS.filter((k) => dto[k] !== undefined);
  if (given.length !== 1) {
    throw new ValidationError(
      (given.length === 0 ? CONTENT_FIELDS : given).map((path) => ({
        path,
        message:
          given.length === 0
            ? 'give the schema as one of document, files, zip or content'
            : `give the schema as only one of ${given.join(', ')}`,
        code: 'one_of',
      })),
    );
  }
  if (dto.content !== undefined) {
    if (dto.main !== undefined) throw ValidationError.of('main', 'goes inside content');
    if (dto.content.type !== undefined && dto.content.type !== type) {
      throw ValidationError.of('content.type', `must be ${type}, the schema's type`);
    }
    return createBundle({ type, files: dto.content.files, main: dto.content.main });
  }
  if (dto.document !== undefined) {
    if (dto.main !== undefined) throw ValidationError.of('main', 'is only used with files or zip');
    const path = dto.fileName ?? DEFAULT_FILE_NAMES[type];
    return createBundle({ type, files: [{ path, text: dto.document }], main: path });
  }
  if (dto.fileName !== undefined)
    throw ValidationError.of('fileName', 'is only used with document');
  if (dto.zip !== undefined) return bundleFromZip({ type, zipBase64: dto.zip, main: dto.main });
  return createBundle({ type, files: dto.files ?? [], main: dto.main });
}

function namespaceOf(compiled: CompiledSchema): string | null {
  switch (compiled.type) {
    case 'XSD':
      return compiled.xsd.targetNamespace ?? null;
    case 'WSDL':
      return compiled.wsdl.targetNamespace ?? null;
    case 'JSON_SCHEMA':
      // Without an $id the base URI is a made-up bundle: URI nothing else can refer to.
      return /^(bundle|library):/.test(compiled.json.uri) ? null : compiled.json.uri;
  }
}
