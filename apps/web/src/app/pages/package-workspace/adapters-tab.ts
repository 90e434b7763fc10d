import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { combineLatest, merge } from 'rxjs';

import { type AdapterOverviewItemDto, type CreateAdapterDto } from '@integrixs/api-client';
import { ADAPTER_TYPES } from '@integrixs/domain';

import { AdaptersApi } from '../../api/adapters-api.service';
import { isAssetOf, liveChanges } from '../../live/live-events.service';
import { type FilterSpec } from '../../state/list-query-params';
import { persistedFilters } from '../../state/persisted-filters';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { pagedList } from '../../ui/paged-list';
import { PackageWorkspace } from './package-workspace';

type AdapterType = CreateAdapterDto['adapterType'];

/** A row: the adapter's name, status, type, direction and last tests per environment. */
type AdapterRow = AdapterOverviewItemDto;

/** Adapters per page of the list (the API answers up to 200). */
export const ADAPTERS_PAGE_SIZE = 50;

/** The adapter type filter, in the URL (`?adapterType=SFTP`). */
const ADAPTER_FILTERS: FilterSpec = [
  { key: 'adapterType', default: '', allowed: ['', ...ADAPTER_TYPES] },
];

/**
 * The package's adapters (type, direction, status, the last connection test in each
 * environment), filtered by type, a page at a time ("Load more" with the API's cursor);
 * "New adapter" for those who may write assets.
 */
@Component({
  selector: 'ix-adapters-tab',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatSelectModule,
    AssetStatusBadge,
    DataList,
    DataListCell,
  ],
  template: `
    <section class="ix-card" aria-labelledby="adapters-heading">
      <div class="ix-section-head">
        <h2 id="adapters-heading">Adapters</h2>
        @if (canWrite()) {
          <a matButton="outlined" [routerLink]="['/packages', packageId(), 'adapters', 'new']">
            New adapter
          </a>
        }
      </div>
      <mat-form-field class="filter" subscriptSizing="dynamic">
        <mat-label>Adapter type</mat-label>
        <mat-select
          [value]="adapterType() ?? ''"
          (valueChange)="filters.set({ adapterType: $event })"
        >
          <mat-option value="">All types</mat-option>
          @for (type of types; track type) {
            <mat-option [value]="type">{{ type }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <ix-data-list
        label="The package's adapters"
        [columns]="columns"
        [rows]="list.rows()"
        [loading]="list.loading()"
        [failure]="list.failure()"
        [hasMore]="list.hasMore()"
        [loadingMore]="list.loadingMore()"
        [initialSort]="{ active: 'name', direction: 'asc' }"
        (retry)="list.retry()"
        (loadMore)="list.loadMore()"
      >
        <ng-template ixCell="name" [ixCellOf]="list.rows()" let-adapter>
          <a [routerLink]="['/packages', packageId(), 'adapters', adapter.adapterId]">{{
            adapter.name
          }}</a>
        </ng-template>
        <ng-template ixCell="status" [ixCellOf]="list.rows()" let-adapter>
          <ix-asset-status-badge [status]="adapter.status" />
        </ng-template>
        <ng-template ixCell="tests" [ixCellOf]="list.rows()" let-adapter>
          @if (adapter.lastTests.length === 0) {
            <span class="ix-muted">Not tested</span>
          } @else {
            <ul class="tests">
              @for (test of adapter.lastTests; track test.environment) {
                <li [attr.data-ok]="test.ok">
                  {{ test.environment }}: {{ test.ok ? 'passed' : 'failed' }}
                  <time class="ix-muted" [attr.datetime]="test.testedAt">{{
                    test.testedAt | date: 'short'
                  }}</time>
                </li>
              }
            </ul>
          }
        </ng-template>
        <p empty>
          @if (adapterType()) {
            This package holds no {{ adapterType() }} adapters.
          } @else {
            This package holds no adapters yet.
          }
        </p>
        <ng-container failed>The adapters could not be loaded.</ng-container>
      </ix-data-list>
      @if (list.hasMore()) {
        <p class="ix-muted more" role="status">
          Showing {{ list.rows().length }} of {{ list.total() }} adapters.
        </p>
      }
    </section>
  `,
  styles: `
    .filter {
      margin: 0.5rem 0 1rem;
      min-width: 12rem;
    }
    .more {
      margin: 0.75rem 0 0;
    }
    .tests {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .tests li[data-ok='false'] {
      color: var(--ix-danger, #b3261e);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdaptersTab {
  private readonly api = inject(AdaptersApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly types = ADAPTER_TYPES;
  readonly packageId = this.workspace.id;
  readonly canWrite = computed(() => this.workspace.may('asset:write'));
  /** The type filter: in the URL, and kept for this package while the tab is left. */
  readonly filters = persistedFilters(
    this.packageId,
    'adapters',
    ADAPTER_FILTERS,
    () => !this.list.loading(),
  );
  readonly adapterType = computed(
    () => (this.filters.values()['adapterType'] || undefined) as AdapterType | undefined,
  );
  /** The adapters by name, from the first page again when the package or the type changes. */
  readonly list = pagedList<AdapterRow>(
    merge(
      combineLatest([toObservable(this.packageId), toObservable(this.adapterType)]),
      // Another user's adapter changes (live events) reload the list.
      liveChanges(this.packageId, isAssetOf('ADAPTER')),
    ),
    (cursor, signal) =>
      this.api.overview(
        this.packageId(),
        { adapterType: this.adapterType(), cursor, limit: ADAPTERS_PAGE_SIZE },
        signal,
      ),
  );

  readonly columns: ListColumn<AdapterRow>[] = [
    { key: 'name', header: 'Name', value: (a) => a.name, sortable: true, rowHeader: true },
    { key: 'type', header: 'Type', value: (a) => a.adapterType, sortable: true },
    { key: 'direction', header: 'Direction', value: (a) => a.direction, sortable: true },
    { key: 'status', header: 'Status', value: (a) => a.status, sortable: true },
    { key: 'tests', header: 'Last connection test' },
  ];
}
