import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { NotFoundError } from '../core/errors/app-error';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { DependencyService, MAX_GRAPH_DEPTH, type GraphWalk } from './dependency.service';
import {
  type GraphNodeDto,
  type GraphWalkDto,
  type PackageGraphDto,
  type PackageGraphEdgeDto,
  type PackageGraphNodeDto,
} from './dto/dependency-graph.dto';
import { type ImpactSubject } from './impact-extensions';

/**
 * The read routes of the asset graph: an asset's transitive dependencies and dependents, and a
 * package's graph. The walks are the DependencyService's (one visibility rule: what the caller
 * cannot read is counted, never named); this marks what crosses packages.
 */
@Injectable()
export class DependencyGraphService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly graph: DependencyService,
  ) {}

  /** The live asset `assetId` of package `packageId`, any type (404 otherwise). */
  async subject(packageId: string, assetId: string): Promise<ImpactSubject> {
    const [row] = await queryRows<ImpactSubject>(
      this.db.manager,
      `SELECT id, package_id AS "packageId", type, name, current_version AS "currentVersion"
         FROM package_assets WHERE id = $1 AND package_id = $2 AND deleted_at IS NULL`,
      [assetId, packageId],
    );
    if (!row) throw new NotFoundError('Asset', assetId);
    return row;
  }

  async dependencies(
    packageId: string,
    assetId: string,
    depth: number | undefined,
    visibility: VisibilityScope,
  ): Promise<GraphWalkDto> {
    const subject = await this.subject(packageId, assetId);
    const walk = await this.graph.dependencies(assetId, visibility, depth ?? MAX_GRAPH_DEPTH);
    return { assetId, items: marked(walk, subject.packageId), hidden: walk.hidden };
  }

  async dependents(
    packageId: string,
    assetId: string,
    depth: number | undefined,
    visibility: VisibilityScope,
  ): Promise<GraphWalkDto> {
    const subject = await this.subject(packageId, assetId);
    const walk = await this.graph.dependents(assetId, visibility, depth ?? MAX_GRAPH_DEPTH);
    return { assetId, items: marked(walk, subject.packageId), hidden: walk.hidden };
  }

  /**
   * The package's live assets and every edge from or to one of them (an asset's own edges, not
   * the pin copies of imported imports). The other end of a cross-package edge is a node when
   * the caller can read its package; otherwise it and its edges are only counted.
   */
  async packageGraph(packageId: string, visibility: VisibilityScope): Promise<PackageGraphDto> {
    const m = this.db.manager;
    const edges = await queryRows<{
      from: string;
      to: string;
      kind: string;
      pinnedVersion: number | null;
    }>(
      m,
      `WITH own AS (SELECT id FROM package_assets WHERE package_id = $1 AND deleted_at IS NULL)
       SELECT d.from_asset_id AS "from", d.to_asset_id AS "to", d.kind,
              d.pinned_version AS "pinnedVersion"
         FROM package_asset_dependencies d
        WHERE NOT d.transitive
          AND (d.from_asset_id IN (SELECT id FROM own) OR d.to_asset_id IN (SELECT id FROM own))
        ORDER BY d.from_asset_id, d.kind, d.to_asset_id`,
      [packageId],
    );
    const ends = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
    const params = new SqlParams([packageId, ends]);
    const visible = visiblePackagesSql(visibility, 'a.package_id', params.bind);
    const rows = await queryRows<PackageGraphNodeDto & { visible: boolean }>(
      m,
      `SELECT a.id, a.package_id AS "packageId", p.name AS "packageName", a.type, a.name,
              a.status, a.package_id <> $1 AS "crossPackage",
              (a.package_id = $1 OR ${visible}) AS visible
         FROM package_assets a JOIN integration_packages p ON p.id = a.package_id
        WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL
          AND (a.package_id = $1 OR a.id = ANY($2::uuid[]))
        ORDER BY a.package_id <> $1, a.type, a.name, a.id`,
      params.values,
    );
    const shown = new Set(rows.filter((r) => r.visible).map((r) => r.id));
    const hiddenIds = new Set(rows.filter((r) => !r.visible).map((r) => r.id));
    const nodes = rows.filter((r) => r.visible).map(({ visible: _, ...node }) => node);
    const packageOf = new Map(rows.map((r) => [r.id, r.packageId]));
    const kept: PackageGraphEdgeDto[] = edges
      .filter((e) => shown.has(e.from) && shown.has(e.to))
      .map((e) => ({ ...e, crossPackage: packageOf.get(e.from) !== packageOf.get(e.to) }));
    const hiddenEdges = edges.filter((e) => hiddenIds.has(e.from) || hiddenIds.has(e.to)).length;
    return { packageId, nodes, edges: kept, hiddenNodes: hiddenIds.size, hiddenEdges };
  }
}

/** The walk's nodes, each marked when it lies in another package than `packageId`. */
export function marked(walk: GraphWalk, packageId: string): GraphNodeDto[] {
  return walk.items.map((n) => ({ ...n, crossPackage: n.packageId !== packageId }));
}
