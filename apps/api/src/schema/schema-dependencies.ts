import { type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { PackageAssetDependency } from '../dependency/entities/package-asset-dependency.entity';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { type DependentAssetDto } from './dto/schema-views.dto';
import { type LibraryBinding } from './library-resolver';

/**
 * The schema-import part of the asset graph (package_asset_dependencies, kind SCHEMA_IMPORT):
 * writing a schema's edges from what its compile used, reading what a saved schema resolves
 * to, and who depends on a schema, as far as the caller may see.
 *
 * Within one package an import follows the imported schema's current version; into another
 * package it is pinned to the version the saver could read (`pinned_version`), and what that
 * schema imports in turn is pinned alongside as `transitive` edges of the importing schema.
 */

/** How far a read follows same-package imports (a guard; real schemas are far shallower). */
const MAX_IMPORT_DEPTH = 64;

/** The dependency edges for what a compile used; `direct` are those the bundle itself names. */
export async function writeImportEdges(
  m: EntityManager,
  schema: { id: string; packageId: string },
  bindings: LibraryBinding[],
  direct: ReadonlySet<string>,
): Promise<void> {
  const wanted = new Map(
    bindings
      .filter((b) => b.assetId !== schema.id)
      .map((b) => [
        b.assetId,
        {
          namespace: b.namespace,
          pinnedVersion: b.packageId === schema.packageId ? null : b.version,
          transitive: !direct.has(b.assetId),
        },
      ]),
  );
  const existing = await m.findBy(PackageAssetDependency, {
    fromAssetId: schema.id,
    kind: 'SCHEMA_IMPORT',
  });
  const stale = existing.filter((d) => !wanted.has(d.toAssetId));
  if (stale.length > 0) await m.remove(stale);
  const changed = existing.filter((d) => {
    const want = wanted.get(d.toAssetId);
    if (!want) return false;
    const differs =
      d.namespace !== want.namespace ||
      d.pinnedVersion !== want.pinnedVersion ||
      d.transitive !== want.transitive;
    Object.assign(d, want);
    return differs;
  });
  const have = new Set(existing.map((d) => d.toAssetId));
  const added = [...wanted]
    .filter(([id]) => !have.has(id))
    .map(([toAssetId, want]) =>
      m.create(PackageAssetDependency, {
        fromAssetId: schema.id,
        packageId: schema.packageId,
        toAssetId,
        kind: 'SCHEMA_IMPORT',
        ...want,
      }),
    );
  if (changed.length + added.length > 0) await m.save([...changed, ...added]);
}

/** Identifier → asset, as earlier saves of the schema bound them (kept unless chosen again). */
export async function pinnedChoices(
  m: EntityManager,
  schemaId: string,
): Promise<Map<string, string>> {
  const rows = await queryRows<{ namespace: string; to_asset_id: string }>(
    m,
    `SELECT namespace, to_asset_id FROM package_asset_dependencies
      WHERE from_asset_id = $1 AND kind = 'SCHEMA_IMPORT' AND namespace IS NOT NULL
      ORDER BY transitive, to_asset_id`,
    [schemaId],
  );
  const pins = new Map<string, string>();
  for (const row of rows) if (!pins.has(row.namespace)) pins.set(row.namespace, row.to_asset_id);
  return pins;
}

interface EdgeRow {
  to_asset_id: string;
  namespace: string | null;
  pinned_version: number | null;
  package_id: string;
  current_version: number;
  target_namespace: string | null;
  live: boolean;
}

/**
 * What a saved schema's imports resolve to when it is read: its pinned edges at their versions,
 * and its same-package imports at their current versions together with their own edges. An
 * unpinned edge that leads out of the package is never followed. Nearer edges win when two
 * bind the same identifier.
 */
export async function importBindings(
  m: EntityManager,
  packageId: string,
  schemaId: string,
): Promise<LibraryBinding[]> {
  const bound = new Map<string, LibraryBinding>();
  const seen = new Set([schemaId]);
  let frontier = [schemaId];
  for (let depth = 0; frontier.length > 0 && depth < MAX_IMPORT_DEPTH; depth++) {
    const rows = await queryRows<EdgeRow>(
      m,
      `SELECT d.to_asset_id, d.namespace, d.pinned_version, t.package_id, t.current_version,
              s.target_namespace, (t.deleted_at IS NULL AND p.deleted_at IS NULL) AS live
         FROM package_asset_dependencies d
         JOIN package_assets t ON t.id = d.to_asset_id
         JOIN package_schemas s ON s.asset_id = t.id
         JOIN integration_packages p ON p.id = t.package_id
        WHERE d.from_asset_id = ANY($1::uuid[]) AND d.kind = 'SCHEMA_IMPORT'
        ORDER BY array_position($1::uuid[], d.from_asset_id), d.transitive, d.to_asset_id`,
      [frontier],
    );
    const next: string[] = [];
    for (const row of rows) {
      const follows = row.pinned_version === null;
      if (row.to_asset_id === schemaId || (follows && row.package_id !== packageId)) continue;
      const namespace = row.namespace ?? row.target_namespace;
      if (namespace !== null && !bound.has(namespace)) {
        bound.set(namespace, {
          namespace,
          assetId: row.to_asset_id,
          packageId: row.package_id,
          version: row.pinned_version ?? row.current_version,
          live: row.live,
        });
      }
      if (follows && !seen.has(row.to_asset_id)) {
        seen.add(row.to_asset_id);
        next.push(row.to_asset_id);
      }
    }
    frontier = next;
  }
  return [...bound.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
}

/** Part of a compiled-schema cache key: every binding's asset, version and liveness. */
export function bindingsFingerprint(bindings: LibraryBinding[]): string {
  return bindings
    .map((b) => `${b.assetId}:${b.version}:${b.live}`)
    .sort()
    .join(',');
}

/**
 * Live assets that depend on the schema: directly (`maxDepth` 1), or through other assets up to
 * `maxDepth` hops (impact analysis), each once at its nearest distance. Those in packages the
 * caller cannot read are only counted.
 */
export async function dependentsOf(
  m: EntityManager,
  schemaId: string,
  visibility: VisibilityScope,
  maxDepth = 1,
): Promise<{ dependents: DependentAssetDto[]; hidden: number }> {
  const params = new SqlParams([schemaId, maxDepth]);
  const visible = visiblePackagesSql(visibility, 'a.package_id', params.bind);
  const rows = await queryRows<DependentAssetDto & { visible: boolean }>(
    m,
    `WITH RECURSIVE hit(id, kind, depth) AS (
       SELECT from_asset_id, kind, 1 FROM package_asset_dependencies
        WHERE to_asset_id = $1 AND NOT transitive
       UNION
       SELECT d.from_asset_id, d.kind, hit.depth + 1
         FROM package_asset_dependencies d JOIN hit ON d.to_asset_id = hit.id
        WHERE hit.depth < $2 AND NOT d.transitive
     )
     SELECT * FROM (
       SELECT DISTINCT ON (a.id) a.id, a.package_id AS "packageId", a.type, a.name, hit.kind,
              hit.depth, ${visible} AS visible
         FROM hit JOIN package_assets a ON a.id = hit.id AND a.deleted_at IS NULL
        WHERE a.id <> $1
        ORDER BY a.id, hit.depth
     ) found
     ORDER BY depth, name, id`,
    params.values,
  );
  const dependents = rows.filter((r) => r.visible).map(({ visible: _, ...dependent }) => dependent);
  return { dependents, hidden: rows.length - dependents.length };
}
