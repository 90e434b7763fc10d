import { type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { type LibraryBinding } from './library-resolver';

/**
 * How saved schemas resolve their imports from the SCHEMA_IMPORT edges of the asset graph
 * (package_asset_dependencies): which schema earlier saves bound an identifier to, and what a
 * saved schema's imports resolve to when it is read. Writing the edges and walking the graph
 * (dependents, impact, cycles) is the DependencyService's; SchemaAssetHandler writes them.
 *
 * Within one package an import follows the imported schema's current version; into another
 * package it is pinned to the version the saver could read (`pinned_version`), and what that
 * schema imports in turn is pinned alongside as `transitive` edges of the importing schema.
 */

/** How far a read follows same-package imports (a guard; real schemas are far shallower). */
const MAX_IMPORT_DEPTH = 64;

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
