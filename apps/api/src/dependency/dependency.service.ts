import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { type DependencyKind } from '@integrixs/domain';

import { type AssetEditor } from '../asset/asset-editor';
import { ASSET_LABELS } from '../asset/asset-rows';
import { type PackageAsset } from '../asset/entities/package-asset.entity';
import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { ForbiddenError } from '../core/errors/app-error';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { DependencyCycleError, DependentsError, type DependentAsset } from './dependency-errors';
import { PackageAssetDependency } from './entities/package-asset-dependency.entity';
import { breadthFirst, pathTo, type Direction } from './graph-walk';

/** One edge an asset's content implies (see PackageAssetDependency for the columns). */
export interface DependencyEdge {
  toAssetId: string;
  kind: DependencyKind;
  namespace?: string | null;
  pinnedVersion?: number | null;
  transitive?: boolean;
}

/**
 * An asset reached through the graph: how (the kind of the last edge), how far (`depth`, 1 for a
 * direct edge) and along which `path` (asset ids from the asset asked about to this one, both
 * included; null for an asset on the way the caller cannot read: it is never named).
 */
export interface GraphNode extends DependentAsset {
  path: (string | null)[];
}

/** What the caller may see of a walk: the nodes they can read, and how many others there are. */
export interface GraphWalk {
  items: GraphNode[];
  hidden: number;
}

/** How far a walk follows the graph (a guard: real graphs are far shallower). */
export const MAX_GRAPH_DEPTH = 64;
/** How far impact analysis (a schema diff) follows the graph. */
export const IMPACT_DEPTH = 10;

/**
 * The asset graph (package_asset_dependencies). Only the asset type handlers write it, through
 * `replaceEdges` inside the save's transaction; reads walk it transitively and show only what the
 * caller may read (the one visibility rule, identity/visibility-filter.ts), counting the rest.
 *
 * Walks follow the edges an asset itself has, not the `transitive` copies a schema keeps of what
 * its cross-package imports import (those pin versions; they are not references of their own).
 */
@Injectable()
export class DependencyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Makes `edges` the asset's outgoing edges (each asset type owns all edges from its assets):
   * stale ones are removed, changed ones updated, new ones inserted, in the caller's transaction
   * so a failed save leaves the old edges. Refused with 409 when a new edge closes a cycle.
   *
   * Saves that add edges take one transaction-scoped advisory lock before the cycle check, so
   * two saves closing a cycle between them cannot both pass it: the second checks after the
   * first committed. Saves that keep their edges (most of them) take no lock.
   */
  async replaceEdges(
    m: EntityManager,
    asset: { id: string; packageId: string },
    edges: readonly DependencyEdge[],
    visibility?: VisibilityScope,
  ): Promise<void> {
    const key = (e: { toAssetId: string; kind: string }) => `${e.kind}:${e.toAssetId}`;
    const wanted = new Map(
      edges
        .filter((e) => e.toAssetId !== asset.id)
        .map((e) => [
          key(e),
          {
            toAssetId: e.toAssetId,
            kind: e.kind,
            namespace: e.namespace ?? null,
            pinnedVersion: e.pinnedVersion ?? null,
            transitive: e.transitive ?? false,
          },
        ]),
    );
    const existing = await m.findBy(PackageAssetDependency, { fromAssetId: asset.id });
    const had = new Set(existing.filter((d) => !d.transitive).map((d) => d.toAssetId));
    const fresh = [...wanted.values()]
      .filter((e) => !e.transitive && !had.has(e.toAssetId))
      .map((e) => e.toAssetId);
    if (fresh.length > 0) {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('asset-graph', 0))`);
    }
    const cycle = await this.wouldCreateCycle(m, asset.id, fresh, visibility);
    if (cycle) throw new DependencyCycleError(cycle);

    const stale = existing.filter((d) => !wanted.has(key(d)));
    if (stale.length > 0) await m.remove(stale);
    const changed = existing.filter((d) => {
      const want = wanted.get(key(d));
      if (!want) return false;
      const differs =
        d.namespace !== want.namespace ||
        d.pinnedVersion !== want.pinnedVersion ||
        d.transitive !== want.transitive;
      Object.assign(d, want);
      return differs;
    });
    const have = new Set(existing.map(key));
    const added = [...wanted]
      .filter(([k]) => !have.has(k))
      .map(([, want]) =>
        m.create(PackageAssetDependency, {
          fromAssetId: asset.id,
          packageId: asset.packageId,
          ...want,
        }),
      );
    if (changed.length + added.length > 0) await m.save([...changed, ...added]);
  }

  /**
   * The cycle new edges `from → targets` would close, from `from` back to it (`from` first and
   * last), or null. Assets on it the caller cannot read are null: never named.
   */
  async wouldCreateCycle(
    m: EntityManager,
    fromAssetId: string,
    targets: readonly string[],
    visibility?: VisibilityScope,
  ): Promise<({ id: string; type: string; name: string } | null)[] | null> {
    if (targets.length === 0) return null;
    const walked = await breadthFirst(m, fromAssetId, 'dependencies', MAX_GRAPH_DEPTH, targets);
    if (walked.closedBy === undefined) return null;
    const path = [...pathTo(walked.reached, walked.closedBy), fromAssetId];
    const params = new SqlParams([path]);
    const visible = visibility
      ? visiblePackagesSql(visibility, 'a.package_id', params.bind)
      : 'FALSE';
    const named = await queryRows<{ id: string; type: string; name: string; visible: boolean }>(
      m,
      `SELECT a.id, a.type, a.name, ${visible} AS visible
         FROM package_assets a WHERE a.id = ANY($1::uuid[])`,
      params.values,
    );
    const byId = new Map(named.map((a) => [a.id, a]));
    return path.map((id, i) => {
      const a = byId.get(id);
      // The saved asset itself (first and last) is the caller's own: always named.
      return a && (a.visible || i === 0 || i === path.length - 1)
        ? { id: a.id, type: a.type, name: a.name }
        : null;
    });
  }

  /** What depends on the asset, transitively up to `maxDepth`, as far as the caller may see. */
  async dependents(
    assetId: string,
    visibility: VisibilityScope,
    maxDepth = MAX_GRAPH_DEPTH,
    m: EntityManager = this.db.manager,
  ): Promise<GraphWalk> {
    return onOneConnection(m, (c) => this.walk(c, 'dependents', assetId, visibility, maxDepth));
  }

  /** What the asset depends on, transitively up to `maxDepth`, as far as the caller may see. */
  async dependencies(
    assetId: string,
    visibility: VisibilityScope,
    maxDepth = MAX_GRAPH_DEPTH,
    m: EntityManager = this.db.manager,
  ): Promise<GraphWalk> {
    return onOneConnection(m, (c) => this.walk(c, 'dependencies', assetId, visibility, maxDepth));
  }

  /** The assets a change of this one affects (impact analysis): dependents up to IMPACT_DEPTH. */
  async impact(assetId: string, visibility: VisibilityScope): Promise<GraphWalk> {
    return this.dependents(assetId, visibility, IMPACT_DEPTH);
  }

  /**
   * The delete rule for assets others depend on: refused (409 naming what the caller can read)
   * unless `force`, and forcing is for package administrators only. When the asset goes with
   * its whole package (`withPackage`), dependents in that package go too and do not count.
   */
  async assertDeletable(
    m: EntityManager,
    asset: PackageAsset,
    ctx: {
      editor: AssetEditor;
      force: boolean;
      visibility: VisibilityScope;
      withPackage?: boolean;
    },
  ): Promise<void> {
    const outside = ctx.withPackage ? asset.packageId : undefined;
    const { items, hidden } = await this.walk(
      m,
      'dependents',
      asset.id,
      ctx.visibility,
      1,
      outside,
    );
    if (items.length + hidden === 0) return;
    const what = ASSET_LABELS[asset.type].toLowerCase();
    if (!ctx.force) throw new DependentsError(what, asset.id, items.map(withoutPath), hidden);
    if (ctx.editor.packageRole !== 'ADMINISTRATOR') {
      throw new ForbiddenError(
        `only administrators of the package may force the deletion of a ${what} other assets depend on`,
      );
    }
  }

  /**
   * Live assets reached from `assetId` along edges (towards what depends on it, or what it
   * depends on), each once at its nearest distance with one shortest path. Walks pass through
   * deleted assets (an edge stays until its asset is purged) but only live ones are listed, and
   * with `exceptPackageId` only those in other packages.
   */
  private async walk(
    m: EntityManager,
    direction: Direction,
    assetId: string,
    visibility: VisibilityScope,
    maxDepth: number,
    exceptPackageId?: string,
  ): Promise<GraphWalk> {
    const { reached } = await breadthFirst(m, assetId, direction, maxDepth);
    if (reached.size === 1) return { items: [], hidden: 0 };
    const ids = [...reached.keys()];
    const params = new SqlParams([ids, ids.map((id) => reached.get(id)?.depth ?? 0)]);
    const visible = visiblePackagesSql(visibility, 'a.package_id', params.bind);
    // Ordered by the database (its collation for names), as the lists of the API are.
    const rows = await queryRows<{
      id: string;
      packageId: string;
      type: string;
      name: string;
      live: boolean;
      visible: boolean;
    }>(
      m,
      `SELECT a.id, a.package_id AS "packageId", a.type, a.name,
              a.deleted_at IS NULL AS live, ${visible} AS visible
         FROM unnest($1::uuid[], $2::int[]) AS r(id, depth)
         JOIN package_assets a ON a.id = r.id
        ORDER BY r.depth, a.name, a.id`,
      params.values,
    );
    const shown = new Set(rows.filter((r) => r.visible).map((r) => r.id)).add(assetId);
    const listed = rows.filter(
      (r) => r.live && r.id !== assetId && r.packageId !== exceptPackageId,
    );
    const items = listed
      .filter((r) => r.visible)
      .map(({ id, packageId, type, name }) => {
        const { depth, kind } = reached.get(id) ?? { depth: 0, kind: '' };
        const path = pathTo(reached, id).map((hop) => (shown.has(hop) ? hop : null));
        return { id, packageId, type, name, kind, depth, path };
      });
    return { items, hidden: listed.length - items.length };
  }
}

/**
 * Runs a read of several statements (a walk: one per level) on one pooled connection instead of
 * taking one from the pool per statement; in a transaction, on the transaction's.
 */
async function onOneConnection<T>(
  m: EntityManager,
  work: (m: EntityManager) => Promise<T>,
): Promise<T> {
  if (m.queryRunner) return work(m);
  const runner = m.connection.createQueryRunner();
  try {
    return await work(runner.manager);
  } finally {
    await runner.release();
  }
}

/** A node as the refusals and the schema diff list it (without the path). */
export function withoutPath({ path: _, ...node }: GraphNode): DependentAsset {
  return node;
}
