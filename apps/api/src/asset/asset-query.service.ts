import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { emptyAssetCounts, type AssetStatus, type AssetType } from '@integrixs/domain';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { SqlParams, type BindParam } from '../core/database/sql-params';
import { countedSqlPage } from '../core/listing/counted-page';
import { listFiltersSql, sortOrder, type CountedPage } from '../core/listing/keyset-page';
import { poolSql } from '../core/listing/pool-sql';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { indexedSearchCount, plannedSearchPage } from './asset-search-count';
import { ASSET_ROW_COLUMNS, assetActorColumns, assetRowView, type AssetRow } from './asset-views';
import { type AssetListQueryDto, type AssetSearchQueryDto } from './dto/asset-list-query.dto';
import { type AssetDto, type AssetSearchResultDto } from './dto/asset.dto';

export interface TypeStatusCount {
  type: AssetType;
  status: AssetStatus;
  count: number;
}

/** A package's live asset counts by type and status and its most recently modified assets. */
export interface PackageContents {
  byTypeAndStatus: TypeStatusCount[];
  lastModified: AssetDto[];
}

/** ASSET_ROW_COLUMNS qualified by the `a` alias the lists use. */
const ASSET_COLUMNS = ASSET_ROW_COLUMNS.split(', ')
  .map((column) => `a.${column}`)
  .join(', ');

/**
 * Reads of the asset registry: lists, search, counts. One statement each, in plain SQL on the
 * pool (these are the hottest reads: every package page and search box), rows mapped straight
 * to views: no query builder, no entity hydration.
 */
@Injectable()
export class AssetQueryService {
  private readonly sql;

  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sql = poolSql(db);
  }

  /**
   * Live assets of one type in one package; `typeFilters` adds a type's own conditions (an
   * adapter's `adapterType`), each given the binder for its values.
   */
  async listInPackage(
    packageId: string,
    type: AssetType,
    query: AssetListQueryDto,
    typeFilters: readonly ((bind: BindParam) => string)[] = [],
  ): Promise<CountedPage<AssetDto>> {
    const params = new SqlParams();
    const where = [
      `a.package_id = ${params.bind(packageId)}`,
      `a.type = ${params.bind(type)}`,
      'a.deleted_at IS NULL',
    ];
    if (query.status !== undefined) where.push(`a.status = ${params.bind(query.status)}`);
    where.push(...typeFilters.map((filter) => filter(params.bind)));
    where.push(...listFiltersSql('a', query, params.bind));
    const page = await countedSqlPage<AssetRow>(
      this.sql,
      {
        alias: 'a',
        columns: ASSET_COLUMNS,
        from: 'FROM package_assets a',
        countFrom: 'FROM package_assets a',
        where,
        params,
        order: sortOrder(query.sort ?? 'name', 'a', 'name'),
        keysOf: (row) => [row.cursor_value, row.id],
        cap: this.config.listCountCap,
        // Planner statistics describe every package: a package's library never shows them.
        estimate: false,
        extra: { columns: assetActorColumns('a') },
      },
      query,
    );
    return { ...page, items: page.items.map(assetRowView) };
  }

  /** `GET /api/assets`: search across every live package the caller may see. */
  async search(
    query: AssetSearchQueryDto,
    scope: VisibilityScope,
  ): Promise<CountedPage<AssetSearchResultDto>> {
    const params = new SqlParams();
    const where = ['a.deleted_at IS NULL'];
    const visible = visiblePackagesSql(scope, 'a.package_id', params.bind);
    if (visible !== 'TRUE') where.push(visible);
    where.push(...listFiltersSql('a', query, params.bind));
    if (query.type !== undefined) where.push(`a.type = ${params.bind(query.type)}`);
    if (query.status !== undefined) where.push(`a.status = ${params.bind(query.status)}`);
    // Assets of a deleted package are deleted with it, so neither the page nor the count joins
    // packages: each row of the cut page looks its package's name up (by its table: the asset
    // module sits below package-metadata and imports nothing of it). A join cost the planner
    // more than the 50 lookups cost the executor.
    const page = await countedSqlPage<
      AssetRow & { package_name: string; schema_type: string | null }
    >(
      this.sql,
      {
        alias: 'a',
        columns: ASSET_COLUMNS,
        from: 'FROM package_assets a',
        countFrom: 'FROM package_assets a',
        where,
        params,
        order: sortOrder(query.sort ?? 'name', 'a', 'name'),
        keysOf: (row) => [row.cursor_value, row.id],
        cap: this.config.listCountCap,
        // The planner's estimate only for a caller who may read every package (see `estimate`).
        estimate: visible === 'TRUE',
        indexedCount: (bind) => indexedSearchCount(query, scope, bind, this.config.listCountCap),
        planned: plannedSearchPage(query, scope, this.config.listCountCap),
        extra: {
          columns: `(SELECT p.name FROM integration_packages p WHERE p.id = a.package_id)
                      AS package_name,
                    CASE WHEN a.type = 'SCHEMA' THEN
                      (SELECT s.schema_type FROM package_schemas s WHERE s.asset_id = a.id)
                    END AS schema_type, ${assetActorColumns('a')}`,
        },
      },
      query,
    );
    // The view gains its package name in place: a spread into a second object per row was a
    // visible share of a 50-row page's CPU.
    const items = page.items.map((row) => {
      const item = assetRowView(row) as AssetSearchResultDto;
      item.packageName = row.package_name;
      item.schemaType = row.schema_type;
      return item;
    });
    return { ...page, items };
  }

  /** Live asset counts by type for each of `packageIds`, in one query (trigger-kept counters). */
  async countsByPackage(packageIds: string[]): Promise<Map<string, Record<AssetType, number>>> {
    const counts = new Map(packageIds.map((id) => [id, emptyAssetCounts()]));
    if (packageIds.length === 0) return counts;
    const rows = await this.sql<{ package_id: string; type: AssetType; count: number }>(
      `SELECT package_id, type, sum(live)::int AS count
         FROM package_asset_counts
        WHERE package_id = ANY($1::uuid[])
        GROUP BY package_id, type`,
      [packageIds],
    );
    for (const row of rows) {
      const forPackage = counts.get(row.package_id);
      if (forPackage) forPackage[row.type] = row.count;
    }
    return counts;
  }

  /**
   * Counts by type and status and the `limit` most recently modified live assets, in one
   * statement: the counts ride along as JSON text on the rows (computed once). A package without
   * live assets has no rows, and then no counts either (both read the same snapshot).
   */
  async contents(packageId: string, limit: number): Promise<PackageContents> {
    const rows = await this.sql<AssetRow & { counts: string }>(
      `SELECT ${ASSET_ROW_COLUMNS}, ${assetActorColumns('package_assets')},
              (SELECT coalesce(json_agg(json_build_object('type', type, 'status', status,
                                                          'count', live) ORDER BY type, status),
                               '[]')::text
                 FROM package_asset_counts WHERE package_id = $1 AND live > 0) AS counts
         FROM package_assets
        WHERE package_id = $1 AND deleted_at IS NULL
        ORDER BY updated_at DESC, id DESC LIMIT $2`,
      [packageId, limit],
    );
    return {
      byTypeAndStatus: rows[0] ? (JSON.parse(rows[0].counts) as TypeStatusCount[]) : [],
      lastModified: rows.map(assetRowView),
    };
  }
}
