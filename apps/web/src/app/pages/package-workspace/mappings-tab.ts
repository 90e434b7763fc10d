import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { combineLatest, merge } from 'rxjs';

import { type AssetDto, type MappingDetailDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { isAssetOf, liveChanges } from '../../live/live-events.service';
import { persistedFilters } from '../../state/persisted-filters';
import { ASSET_LIST_FILTERS, AssetListFilters } from '../../ui/asset-list-filters';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { pagedList, type CursorPage } from '../../ui/paged-list';
import { PackageWorkspace } from './package-workspace';

/** Mappings per page of the list; each row's kind and schemas take one request more. */
export const MAPPINGS_PAGE_SIZE = 50;

/** A row: the mapping as an asset, with its kind and schemas when they were loaded. */
interface MappingRow extends AssetDto {
  readonly kind: string;
  readonly schemas: string;
}

/**
 * The package's mappings (kind, source → target schema, status), each linking to its editor,
 * searched, filtered by status and ordered like the other asset tabs (the filters sit in the URL
 * and are kept for the package while the tab is left), a page at a time ("Load more");
 * "New mapping" for those who may write assets.
 */
@Component({
  selector: 'ix-mappings-tab',
  imports: [
    RouterLink,
    MatButtonModule,
    AssetListFilters,
    AssetStatusBadge,
    DataList,
    DataListCell,
  ],
  template: `
    <section class="ix-card" aria-labelledby="mappings-heading">
      <div class="ix-section-head">
        <h2 id="mappings-heading">Mappings</h2>
        @if (canWrite()) {
          <a matButton="outlined" [routerLink]="['/packages', packageId(), 'mappings', 'new']">
            New mapping
          </a>
        }
      </div>
      <ix-asset-list-filters
        noun="mappings"
        [values]="filters.values()"
        (changed)="filters.set($event)"
      />
      <ix-data-list
        label="The package's mappings"
        [columns]="columns"
        [rows]="list.rows()"
        [loading]="list.loading()"
        [failure]="list.failure()"
        [hasMore]="list.hasMore()"
        [loadingMore]="list.loadingMore()"
        (retry)="list.retry()"
        (loadMore)="list.loadMore()"
      >
        <ng-template ixCell="name" [ixCellOf]="list.rows()" let-mapping>
          <a [routerLink]="['/packages', packageId(), 'mappings', mapping.id]">{{
            mapping.name
          }}</a>
        </ng-template>
        <ng-template ixCell="status" [ixCellOf]="list.rows()" let-mapping>
          <ix-asset-status-badge [status]="mapping.status" />
        </ng-template>
        <p empty>
          @if (filtered()) {
            No mappings match these filters.
          } @else {
            This package holds no mappings yet.
          }
        </p>
        <ng-container failed>The mappings could not be loaded.</ng-container>
      </ix-data-list>
      @if (list.hasMore()) {
        <p class="ix-muted more" role="status">
          Showing {{ list.rows().length }} of {{ list.total()
          }}{{ list.totalIsEstimate() ? ' or so' : '' }}
          mappings.
        </p>
      }
    </section>
  `,
  styles: `
    .more {
      margin: 0.75rem 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingsTab {
  private readonly api = inject(MappingsApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly packageId = this.workspace.id;
  readonly canWrite = computed(() => this.workspace.may('asset:write'));
  /** Search, status and order: in the URL, and kept for this package while the tab is left. */
  readonly filters = persistedFilters(
    this.packageId,
    'mappings',
    ASSET_LIST_FILTERS,
    () => !this.list.loading(),
  );
  readonly filtered = computed(
    () => this.filters.values()['q'] !== '' || this.filters.values()['status'] !== '',
  );
  /** The mappings, from the first page again when the package or a filter changes. */
  readonly list = pagedList<MappingRow>(
    merge(
      combineLatest([toObservable(this.packageId), toObservable(this.filters.values)]),
      // Another user's mapping (or schema) changes (live events) reload the list.
      liveChanges(this.packageId, isAssetOf('MAPPING', 'SCHEMA')),
    ),
    (cursor, signal) => this.load(this.packageId(), cursor, signal),
  );

  readonly columns: ListColumn<MappingRow>[] = [
    { key: 'name', header: 'Name', value: (m) => m.name, sortable: true, rowHeader: true },
    { key: 'kind', header: 'Kind', value: (m) => m.kind, sortable: true },
    { key: 'schemas', header: 'Source → target', value: (m) => m.schemas },
    { key: 'status', header: 'Status', value: (m) => m.status, sortable: true },
    { key: 'version', header: 'Version', value: (m) => m.currentVersion, numeric: true },
  ];

  /** A page of the list, then the kind and schemas of its mappings (their names too). */
  private async load(
    packageId: string,
    cursor: string | null,
    signal: AbortSignal,
  ): Promise<ApiResult<CursorPage<MappingRow>>> {
    const filters = this.filters.values();
    const [page, schemas] = await Promise.all([
      this.api.page(packageId, cursor, MAPPINGS_PAGE_SIZE, signal, filters),
      this.api.readableSchemas(signal),
    ]);
    if (!page.ok) return page;
    const names = new Map(schemas.ok ? schemas.data.items.map((s) => [s.id, s.name]) : []);
    const details = await Promise.all(
      page.data.items.map((mapping) => this.api.get(packageId, mapping.id, signal)),
    );
    const byId = new Map<string, MappingDetailDto>();
    for (const detail of details) if (detail.ok) byId.set(detail.data.id, detail.data);
    const nameOf = (id: string) => names.get(id) ?? (schemas.ok ? 'a schema you cannot read' : '—');
    const items = page.data.items.map((mapping): MappingRow => {
      const detail = byId.get(mapping.id);
      return {
        ...mapping,
        kind: detail ? (detail.kind === 'JSONATA' ? 'JSONata' : 'XSLT') : '—',
        schemas: detail
          ? `${nameOf(detail.sourceSchema.assetId)} → ${nameOf(detail.targetSchema.assetId)}`
          : '—',
      };
    });
    return { ok: true, data: { ...page.data, items } };
  }
}
