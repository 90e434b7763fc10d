import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { type ProblemFieldError, type SchemaType } from '@integrixs/domain';
import { payloadSideOf, type PayloadSide } from '@integrixs/mapping-engine';
import { SchemaEngine, type CompiledSchema } from '@integrixs/schema-engine';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { SavedSchemas } from '../schema/saved-schemas';
import { type MappingSchemaRef } from './mapping-content';

/** One side of a mapping, resolved: the schema version used and the engine's view of it. */
export interface ResolvedSide {
  ref: MappingSchemaRef;
  packageId: string;
  schemaType: SchemaType;
  /** The version used: the pinned one, or the schema's current version. */
  version: number;
  /** The compiled-schema cache key of that version (also keys prepared mappings). */
  key: string;
  side: PayloadSide;
}

const MAX_SIDES = 64;

type Where = 'sourceSchema' | 'targetSchema';

/**
 * The library schemas of mappings: which the caller may use (a live schema in a package they
 * can read — the one visibility rule; a schema they cannot read is "not a schema you can read",
 * never named), which version, and the engine's view of it (root field, XSD value types, an
 * expander for deep XSD trees), cached per compiled version. Payloads are validated here too.
 */
@Injectable()
export class MappingSchemas {
  private readonly sides = new Map<string, PayloadSide>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: SchemaEngine,
    private readonly saved: SavedSchemas,
  ) {}

  /**
   * Resolves both sides; problems (unreadable schema, missing version or root) are added to
   * `problems` with the body field they are about, and that side is undefined.
   * `visibility` null: the mapping is read by someone who may read it (no new schema check).
   */
  async resolve(
    m: EntityManager,
    ref: MappingSchemaRef,
    where: Where,
    visibility: VisibilityScope | null,
    problems: ProblemFieldError[],
  ): Promise<ResolvedSide | undefined> {
    const params = new SqlParams([ref.assetId]);
    const visible = visibility
      ? `AND ${visiblePackagesSql(visibility, 'a.package_id', params.bind)}`
      : '';
    const [row] = ref.assetId
      ? await queryRows<{ package_id: string; current_version: number; schema_type: SchemaType }>(
          m,
          `SELECT a.package_id, a.current_version, s.schema_type
             FROM package_assets a JOIN package_schemas s ON s.asset_id = a.id
            WHERE a.id = $1 AND a.type = 'SCHEMA' AND a.deleted_at IS NULL ${visible}`,
          params.values,
        )
      : [];
    if (!row) {
      problems.push({
        path: `${where}.assetId`,
        message: 'is not a schema you can read',
        code: 'not_found',
      });
      return undefined;
    }
    if (ref.version !== null && ref.version > row.current_version) {
      problems.push({
        path: `${where}.version`,
        message: `the schema has no version ${ref.version} (its current version is ${row.current_version})`,
        code: 'not_found',
      });
      return undefined;
    }
    const saved = await this.saved.get(row.package_id, ref.assetId);
    const version = ref.version ?? saved.currentVersion;
    const key = this.saved.key(saved, version);
    const sideKey = `${key}|${ref.root ?? ''}`;
    let side = this.sides.get(sideKey);
    if (!side) {
      side = await this.engine.withCompiled(
        key,
        () => this.saved.source(saved, version),
        (compiled) => this.sideOf(compiled, ref.root),
      );
      if (side) {
        const oldest = this.sides.keys().next();
        if (this.sides.size >= MAX_SIDES && !oldest.done) this.sides.delete(oldest.value);
        this.sides.set(sideKey, side);
      }
    }
    if (!side) {
      problems.push({
        path: `${where}.root`,
        message: ref.root
          ? `"${ref.root}" is not a global element (XSD) or message (WSDL) of the schema`
          : 'the schema has no root element or document to map',
        code: 'not_found',
      });
      return undefined;
    }
    return { ref, packageId: row.package_id, schemaType: row.schema_type, version, key, side };
  }

  /** Validates a payload text against a resolved side's schema version. */
  async validate(
    resolved: ResolvedSide,
    text: string,
  ): Promise<{
    valid: boolean;
    errors: { path?: string; message: string; line?: number; column?: number }[];
  }> {
    const saved = await this.saved.get(resolved.packageId, resolved.ref.assetId);
    const result = await this.engine.validate(
      resolved.key,
      () => this.saved.source(saved, resolved.version),
      text,
      { root: resolved.ref.root ?? undefined },
    );
    return { valid: result.valid, errors: result.errors };
  }

  /** Forgets cached sides (tests; schema writes make new keys anyway). */
  clear(): void {
    this.sides.clear();
  }

  get manager(): EntityManager {
    return this.db.manager;
  }

  private sideOf(compiled: CompiledSchema, root: string | null): PayloadSide | undefined {
    return payloadSideOf(this.engine, compiled, root);
  }
}
