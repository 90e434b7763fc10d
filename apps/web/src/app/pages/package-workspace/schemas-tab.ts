import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import { type AssetDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { SchemasApi } from '../../api/schemas-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
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
    AssetStatusBadge,
    DataList,
    DataListCell,
  ],
  template: `
    <section class="ix-card" aria-labelledby="schemas-heading">
      <div class="section-head">
        <h2 id="schemas-heading">Schemas</h2>
        @if (canWrite() && !adding()) {
          <button matButton="outlined" type="button" (click)="adding.set(true)">Add schema</button>
        }
      </div>
      @if (adding()) {
        <ix-add-schema-form [packageId]="packageId()" (cancelled)="adding.set(false)" />
      }
      <ix-data-list
        label="The package's schemas"
        [columns]="columns"
        [rows]="rows()"
        [loading]="loading()"
        [failure]="failure()"
        [hasMore]="nextCursor() !== null"
        [loadingMore]="loadingMore()"
        [initialSort]="{ active: 'name', direction: 'asc' }"
        (retry)="load(cursorOfFailure())"
        (loadMore)="load(nextCursor())"
      >
        <ng-template ixCell="name" [ixCellOf]="rows()" let-schema>
          <a [routerLink]="['/packages', packageId(), 'schemas', schema.id]">{{ schema.name }}</a>
        </ng-template>
        <ng-template ixCell="status" [ixCellOf]="rows()" let-schema>
          <ix-asset-status-badge [status]="schema.status" />
        </ng-template>
        <ng-template ixCell="updated" [ixCellOf]="rows()" let-schema>
          <time [attr.datetime]="schema.updatedAt">{{ schema.updatedAt | date: 'medium' }}</time>
          by {{ schema.updatedByName ?? schema.updatedBy }}
        </ng-template>
        <p empty>This package holds no schemas yet.</p>
        <ng-container failed>The schemas could not be loaded.</ng-container>
      </ix-data-list>
      @if (nextCursor() !== null) {
        <p class="ix-muted more" role="status">
          Showing {{ rows().length }} of {{ total() }}{{ totalIsEstimate() ? ' or so' : '' }}
          schemas.
        </p>
      }
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
  readonly rows = signal<AssetDto[]>([]);
  readonly total = signal(0);
  readonly totalIsEstimate = signal(false);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(true);
  readonly loadingMore = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  /** The cursor of the page that failed, so "Try again" asks for the same page. */
  readonly cursorOfFailure = signal<string | null>(null);

  readonly columns: ListColumn<AssetDto>[] = [
    { key: 'name', header: 'Name', value: (s) => s.name, sortable: true, rowHeader: true },
    { key: 'status', header: 'Status', value: (s) => s.status, sortable: true },
    { key: 'version', header: 'Version', value: (s) => s.currentVersion, numeric: true },
    { key: 'updated', header: 'Modified', value: (s) => s.updatedAt, sortable: true },
  ];

  private readonly pages = new Subject<string | null>();

  constructor() {
    const id = this.packageId;
    // A new package starts from its first page; "Load more" and "Try again" ask for a cursor's.
    merge(toObservable(id).pipe(map(() => null)), this.pages)
      .pipe(
        tap((cursor) => {
          (cursor === null ? this.loading : this.loadingMore).set(true);
          this.failure.set(null);
        }),
        switchMap((cursor) =>
          abortable((signal) => this.api.page(id(), cursor, SCHEMAS_PAGE_SIZE, signal)).pipe(
            map((result) => ({ cursor, result })),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(({ cursor, result }) => {
        this.loading.set(false);
        this.loadingMore.set(false);
        if (!result.ok) {
          this.cursorOfFailure.set(cursor);
          this.failure.set(result.failure);
          return;
        }
        const page = result.data;
        this.rows.update((rows) => (cursor === null ? page.items : [...rows, ...page.items]));
        this.total.set(page.total);
        this.totalIsEstimate.set(page.totalIsEstimate);
        this.nextCursor.set(page.nextCursor);
      });
  }

  load(cursor: string | null): void {
    if (!this.loadingMore()) this.pages.next(cursor);
  }
}
