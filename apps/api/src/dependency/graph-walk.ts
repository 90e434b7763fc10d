import { type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';

/** Towards what depends on an asset (edges pointing at it), or what it depends on. */
export type Direction = 'dependents' | 'dependencies';

/** How a walk first reached an asset: at which distance, over which edge kind, from where. */
export interface Reached {
  depth: number;
  kind: string;
  /** The asset one hop nearer the origin (the origin's own entry has none). */
  parent: string | null;
}

export interface Walked {
  reached: Map<string, Reached>;
  /** Set when an edge leads back to the origin: the asset it leaves from (a cycle). */
  closedBy?: string;
}

/**
 * Breadth-first from `origin` along the graph's own edges (never the `transitive` pin copies),
 * one query per level, each asset once at its nearest distance: the work stays proportional to
 * the edges, however many paths a dense graph has. `firstHops` seeds level 1 with edges not
 * written yet (a cycle check before a save).
 */
export async function breadthFirst(
  m: EntityManager,
  origin: string,
  direction: Direction,
  maxDepth: number,
  firstHops?: readonly string[],
): Promise<Walked> {
  const [near, far] =
    direction === 'dependents'
      ? ['to_asset_id', 'from_asset_id']
      : ['from_asset_id', 'to_asset_id'];
  const reached = new Map<string, Reached>([[origin, { depth: 0, kind: '', parent: null }]]);
  let frontier = [origin];
  let depth = 0;
  if (firstHops) {
    frontier = [...new Set(firstHops)].filter((id) => id !== origin);
    for (const id of frontier) reached.set(id, { depth: 1, kind: '', parent: origin });
    depth = 1;
  }
  let closedBy: string | undefined;
  // A cycle check (firstHops given) stops at the first edge back to the origin; a listing walks on.
  const checking = firstHops !== undefined;
  while (frontier.length > 0 && depth < maxDepth && !(checking && closedBy !== undefined)) {
    depth++;
    const rows = await queryRows<{ near: string; far: string; kind: string }>(
      m,
      `SELECT ${near} AS near, ${far} AS far, kind FROM package_asset_dependencies
        WHERE ${near} = ANY($1::uuid[]) AND NOT transitive
        ORDER BY array_position($1::uuid[], ${near}), kind, ${far}`,
      [frontier],
    );
    const next: string[] = [];
    for (const row of rows) {
      if (row.far === origin && checking) closedBy ??= row.near;
      if (reached.has(row.far)) continue;
      reached.set(row.far, { depth, kind: row.kind, parent: row.near });
      next.push(row.far);
    }
    frontier = next;
  }
  return { reached, closedBy };
}

/** The asset ids from the origin to `id`, both included, along the walk's parents. */
export function pathTo(reached: ReadonlyMap<string, Reached>, id: string): string[] {
  const path: string[] = [];
  for (let at: string | null = id; at !== null; at = reached.get(at)?.parent ?? null) {
    path.unshift(at);
  }
  return path;
}
