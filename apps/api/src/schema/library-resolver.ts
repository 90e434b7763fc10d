import { type EntityManager } from 'typeorm';

import { type SchemaType } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { type VisibilityScope } from '../identity/principal';
import { type LibrarySchema, type SchemaBundle, type SchemaResolver } from './schema-bundle';

/** Which library schemas a compile may use, besides those of its own package. */
export type LibraryScope =
  /** On save: schemas of every package the caller can read. */
  | { kind: 'visible'; visibility: VisibilityScope }
  /** On validation: only the schemas the saved version depends on (directly or through them). */
  | { kind: 'dependencies'; assetIds: string[] };

/** What a schema of each type may import from the library. */
const IMPORTABLE: Record<SchemaType, SchemaType[]> = {
  XSD: ['XSD'],
  WSDL: ['WSDL', 'XSD'],
  JSON_SCHEMA: ['JSON_SCHEMA'],
};

/**
 * Finds library schemas by the main file's `targetNamespace` / `$id`: the package's own first,
 * then the newest. Never the schema being compiled, never anything outside the scope.
 */
export function libraryResolver(
  m: EntityManager,
  type: SchemaType,
  packageId: string,
  scope: LibraryScope,
  excludeAssetId?: string,
): SchemaResolver {
  const find = async (namespace: string): Promise<LibrarySchema | undefined> => {
    const visible =
      scope.kind === 'dependencies'
        ? 'a.id = ANY($5::uuid[])'
        : `a.package_id = $3 OR (($5::boolean OR EXISTS (SELECT 1 FROM package_members pm
             WHERE pm.package_id = a.package_id AND pm.user_id = $6))
             AND ($7::uuid[] IS NULL OR a.package_id = ANY($7::uuid[])))`;
    const params =
      scope.kind === 'dependencies'
        ? [scope.assetIds]
        : [scope.visibility.all, scope.visibility.userId, scope.visibility.packageIds];
    const [row] = await queryRows<{ id: string; content: SchemaBundle }>(
      m,
      `SELECT a.id, v.content
         FROM package_schemas s
         JOIN package_assets a ON a.id = s.asset_id AND a.deleted_at IS NULL
         JOIN integration_packages p ON p.id = a.package_id AND p.deleted_at IS NULL
         JOIN asset_versions v ON v.asset_id = a.id AND v.version_number = a.current_version
        WHERE s.target_namespace = $1 AND s.schema_type = ANY($2::text[])
          AND a.id IS DISTINCT FROM $4::uuid AND (${visible})
        ORDER BY (a.package_id = $3) DESC, a.updated_at DESC, a.id
        LIMIT 1`,
      [namespace, IMPORTABLE[type], packageId, excludeAssetId ?? null, ...params],
    );
    return row ? { ref: row.id, bundle: row.content } : undefined;
  };
  return { resolveNamespace: find, resolveId: find };
}
