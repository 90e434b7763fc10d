import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { type SchemaType } from '@integrixs/domain';
import { type SchemaBundle, type SchemaResolver } from '@integrixs/schema-engine';

import { queryRows } from '../core/database/query-rows';
import { NotFoundError } from '../core/errors/app-error';
import { pinnedResolver, type LibraryBinding } from './library-resolver';
import { bindingsFingerprint, importBindings } from './schema-dependencies';
import { SchemaVersionCache } from './schema-version-cache';
import { versionDetail } from './schema-versions';

/** A saved schema as the validate/structure/diff paths compile it. */
export interface SavedSchema {
  schemaId: string;
  currentVersion: number;
  schemaType: SchemaType;
  /** What its library imports resolve to: pinned versions, or current ones in its package. */
  bindings: LibraryBinding[];
  /** Every binding's asset, version and liveness: part of the compiled-schema cache key. */
  fingerprint: string;
}

/**
 * Saved schemas for reading: the current version and what the imports resolve to, read once per
 * schema instead of once per validation (cached until a schema's version, liveness or imports
 * change on any instance), and the compile inputs of one version. A version compiles against
 * exactly its bindings, so the cache key names their versions: a new version of a same-package
 * import, or a re-pin, is a new key on every API instance without a message.
 */
@Injectable()
export class SavedSchemas {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly current: SchemaVersionCache,
  ) {}

  get(packageId: string, schemaId: string): Promise<SavedSchema> {
    return this.current.get(`${packageId}|${schemaId}`, () => this.load(packageId, schemaId));
  }

  /** Drops what this instance cached (after its own schema writes). */
  clear(): void {
    this.current.clear();
  }

  /** The compiled-schema cache key of version `n`. */
  key(saved: SavedSchema, n: number): string {
    return `${saved.schemaId}@${n}|${saved.fingerprint}`;
  }

  /** What version `n` compiles from: its bundle, and a resolver that knows only its bindings. */
  async source(
    saved: SavedSchema,
    n: number,
  ): Promise<{ bundle: SchemaBundle; resolver: SchemaResolver }> {
    const version = await versionDetail(this.db.manager, saved.schemaId, n);
    return {
      bundle: version.content as SchemaBundle,
      resolver: pinnedResolver(this.db.manager, saved.bindings),
    };
  }

  private async load(packageId: string, schemaId: string): Promise<SavedSchema> {
    const [row] = await queryRows<{ current_version: number; schema_type: SchemaType }>(
      this.db.manager,
      `SELECT a.current_version, s.schema_type
         FROM package_assets a JOIN package_schemas s ON s.asset_id = a.id
        WHERE a.id = $2 AND a.package_id = $1 AND a.type = 'SCHEMA' AND a.deleted_at IS NULL`,
      [packageId, schemaId],
    );
    if (!row) throw new NotFoundError('Schema', schemaId);
    const bindings = await importBindings(this.db.manager, packageId, schemaId);
    return {
      schemaId,
      currentVersion: row.current_version,
      schemaType: row.schema_type,
      bindings,
      fingerprint: bindingsFingerprint(bindings),
    };
  }
}
