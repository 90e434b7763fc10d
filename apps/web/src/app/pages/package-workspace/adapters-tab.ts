import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { combineLatest, map, merge, Subject, switchMap, tap } from 'rxjs';

import {
  type AdapterOverviewItemDto,
  type AssetDto,
  type CreateAdapterDto,
} from '@integrixs/api-client';
import { ADAPTER_TYPES } from '@integrixs/domain';

import { AdaptersApi } from '../../api/adapters-api.service';
import { abortable, type ApiFailure } from '../../api/api-result';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { PackageWorkspace } from './package-workspace';

type AdapterType = CreateAdapterDto['adapterType'];

/** A row: the adapter as an asset, with its type, direction and last tests per environment. */
interface AdapterRow extends AssetDto {
  readonly adapterType: string;
  readonly direction: string;
  readonly lastTests: AdapterOverviewItemDto['lastTests'];
}

/**
 * The package's adapters (type, direction, status, the last connection test in each
 * environment), filtered by type; "New adapter" for those who may write assets.
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
      <div class="section-head">
        <h2 id="adapters-heading">Adapters</h2>
        @if (canWrite()) {
          <a matButton="outlined" [routerLink]="['/packages', packageId(), 'adapters', 'new']">
            New adapter
          </a>
        }
      </div>
      <mat-form-field class="filter" subscriptSizing="dynamic">
        <mat-label>Adapter type</mat-label>
        <mat-select [value]="adapterType()" (valueChange)="adapterType.set($event)">
          <mat-option [value]="undefined">All types</mat-option>
          @for (type of types; track type) {
            <mat-option [value]="type">{{ type }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <ix-data-list
        label="The package's adapters"
        [columns]="columns"
        [rows]="rows()"
        [loading]="loading()"
        [failure]="failure()"
        [pageSize]="25"
        [initialSort]="{ active: 'name', direction: 'asc' }"
        (retry)="retry()"
      >
        <ng-template ixCell="name" [ixCellOf]="rows()" let-adapter>
          <a [routerLink]="['/packages', packageId(), 'adapters', adapter.id]">{{
            adapter.name
          }}</a>
        </ng-template>
        <ng-template ixCell="status" [ixCellOf]="rows()" let-adapter>
          <ix-asset-status-badge [status]="adapter.status" />
        </ng-template>
        <ng-template ixCell="tests" [ixCellOf]="rows()" let-adapter>
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
    </section>
  `,
  styles: `
    .section-head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem 1rem;
    }
    .filter {
      margin: 0.5rem 0 1rem;
      min-width: 12rem;
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
  readonly adapterType = signal<AdapterType | undefined>(undefined);
  readonly rows = signal<AdapterRow[]>([]);
  readonly loading = signal(true);
  readonly failure = signal<ApiFailure | null>(null);

  readonly columns: ListColumn<AdapterRow>[] = [
    { key: 'name', header: 'Name', value: (a) => a.name, sortable: true, rowHeader: true },
    { key: 'type', header: 'Type', value: (a) => a.adapterType, sortable: true },
    { key: 'direction', header: 'Direction', value: (a) => a.direction, sortable: true },
    { key: 'status', header: 'Status', value: (a) => a.status, sortable: true },
    { key: 'tests', header: 'Last connection test' },
  ];

  private readonly retries = new Subject<void>();

  constructor() {
    const query = combineLatest([toObservable(this.packageId), toObservable(this.adapterType)]);
    merge(query, this.retries.pipe(map(() => [this.packageId(), this.adapterType()] as const)))
      .pipe(
        tap(() => {
          this.loading.set(true);
          this.failure.set(null);
        }),
        switchMap(([packageId, type]) =>
          abortable((signal) =>
            Promise.all([
              this.api.list(packageId, type, signal),
              this.api.overview(packageId, signal),
            ]),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(([list, overview]) => {
        this.loading.set(false);
        if (!list.ok) return this.failure.set(list.failure);
        if (!overview.ok) return this.failure.set(overview.failure);
        const byId = new Map(overview.data.items.map((item) => [item.adapterId, item]));
        this.rows.set(
          list.data.items.map((asset) => {
            const item = byId.get(asset.id);
            return {
              ...asset,
              adapterType: item?.adapterType ?? '',
              direction: item?.direction ?? '',
              lastTests: item?.lastTests ?? [],
            };
          }),
        );
      });
  }

  retry(): void {
    this.retries.next();
  }
}
