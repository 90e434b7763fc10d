import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { combineLatest, merge } from 'rxjs';

import { type AssetDto } from '@integrixs/api-client';

import { SchemasApi } from '../../api/schemas-api.service';
import { isAssetOf, liveChanges } from '../../live/live-events.service';
import { persistedFilters } from '../../state/persisted-filters';
import { ASSET_LIST_FILTERS, AssetListFilters } from '../../ui/asset-list-filters';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { pagedList } from '../../ui/paged-list';
import { AddSchemaForm } from './add-schema-form';
import { PackageWorkspace } from './package-workspace';

/** Schemas per page of the list (the API answers up to 200). */
export const SCHEMAS_PAGE_SIZE = 50;

/**
 * The package's schemas by name, each linking to its page, a page at a time ("Load more" with
 * the API's cursor); "Add schema" for those who may write.
 */
@Component({
  selector: 'ix-schemas-tab',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    AddSchemaForm,
    AssetListFilters,
    AssetStatusBadge,
    DataList,
    DataListCell,
  ],
  template: `
    <section class="ix-card" aria-labelledby="schemas-heading">
      <div class="ix-section-head">
        <h2 id="schemas-heading">Schemas</h2>
        @if (canWrite() && !adding()) {
          <button matButton="outlined" type="button" (click)="adding.set(true)">Add schema</button>
        }
      </div>
      @if (adding()) {
        <ix-add-schema-form [packageId]="packageId()" (cancelled)="adding.set(false)" />
      }
      <ix-asset-list-filters
        noun="schemas"
        [values]="filters.values()"
        (changed)="filters.set($event)"
      />
      <ix-data-list
        label="The package's schemas"
        [columns]="columns"
        [rows]="list.rows()"
        [loading]="list.loading()"
        [failure]="list.failure()"
        [hasMore]="list.hasMore()"
        [loadingMore]="list.loadingMore()"
        (retry)="list.retry()"
        (loadMore)="list.loadMore()"
      >
        <ng-template ixCell="name" [ixCellOf]="list.rows()" let-schema>
          <a [routerLink]="['/packages', packageId(), 'schemas', schema.id]">{{ schema.name }}</a>
        </ng-template>
        <ng-template ixCell="status" [ixCellOf]="list.rows()" let-schema>
          <ix-asset-status-badge [status]="schema.status" />
        </ng-template>
        <ng-template ixCell="updated" [ixCellOf]="list.rows()" let-schema>
          <time [attr.datetime]="schema.updatedAt">{{ schema.updatedAt | date: 'medium' }}</time>
          by {{ schema.updatedByName ?? schema.updatedBy }}
        </ng-template>
        <p empty>
          @if (filtered()) {
            No schemas match these filters.
          } @else {
            This package holds no schemas yet.
          }
        </p>
        <ng-container failed>The schemas could not be loaded.</ng-container>
      </ix-data-list>
      @if (list.hasMore()) {
        <p class="ix-muted more" role="status">
          Showing {{ list.rows().length }} of {{ list.total()
          }}{{ list.totalIsEstimate() ? ' or so' : '' }}
          schemas.
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
export class SchemasTab {
  private readonly api = inject(SchemasApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly packageId = this.workspace.id;
  readonly canWrite = computed(() => this.workspace.may('asset:write'));
  readonly adding = signal(false);
  /** Search, status and order: in the URL, and kept for this package while the tab is left. */
  readonly filters = persistedFilters(
    this.packageId,
    'schemas',
    ASSET_LIST_FILTERS,
    () => !this.list.loading(),
  );
  readonly filtered = computed(
    () => this.filters.values()['q'] !== '' || this.filters.values()['status'] !== '',
  );
  /** The schemas, from the first page again when the package or a filter changes. */
  readonly list = pagedList<AssetDto>(
    merge(
      combineLatest([toObservable(this.packageId), toObservable(this.filters.values)]),
      // Another user's schema changes (live events) reload the list.
      liveChanges(this.packageId, isAssetOf('SCHEMA')),
    ),
    (cursor, signal) =>
      this.api.page(this.packageId(), cursor, SCHEMAS_PAGE_SIZE, signal, this.filters.values()),
  );

  readonly columns: ListColumn<AssetDto>[] = [
    { key: 'name', header: 'Name', value: (s) => s.name, sortable: true, rowHeader: true },
    { key: 'status', header: 'Status', value: (s) => s.status, sortable: true },
    { key: 'version', header: 'Version', value: (s) => s.currentVersion, numeric: true },
    { key: 'updated', header: 'Modified', value: (s) => s.updatedAt, sortable: true },
  ];
}
