import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import { type AssetDto, type AssetPageDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { SchemasApi } from '../../api/schemas-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { AddSchemaForm } from './add-schema-form';
import { PackageWorkspace } from './package-workspace';

/** The package's schemas, each linking to its page; "Add schema" for those who may write. */
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
        [pageSize]="25"
        [initialSort]="{ active: 'name', direction: 'asc' }"
        (retry)="retry()"
      >
        <ng-template ixCell="name" [ixCellOf]="rows()" let-schema>
          <a [routerLink]="['/packages', packageId(), 'schemas', schema.id]">{{ schema.name }}</a>
        </ng-template>
        <ng-template ixCell="status" [ixCellOf]="rows()" let-schema>
          <ix-asset-status-badge [status]="schema.status" />
        </ng-template>
        <ng-template ixCell="updated" [ixCellOf]="rows()" let-schema>
          <time [attr.datetime]="schema.updatedAt">{{ schema.updatedAt | date: 'medium' }}</time>
        </ng-template>
        <p empty>This package holds no schemas yet.</p>
        <ng-container failed>The schemas could not be loaded.</ng-container>
      </ix-data-list>
      @if (page()?.nextCursor) {
        <p class="ix-muted more">
          Showing the first {{ rows().length }} of {{ page()?.total }} schemas.
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
  readonly page = signal<AssetPageDto | null>(null);
  readonly rows = computed(() => this.page()?.items ?? []);
  readonly loading = signal(true);
  readonly failure = signal<ApiFailure | null>(null);

  readonly columns: ListColumn<AssetDto>[] = [
    { key: 'name', header: 'Name', value: (s) => s.name, sortable: true, rowHeader: true },
    { key: 'status', header: 'Status', value: (s) => s.status, sortable: true },
    { key: 'version', header: 'Version', value: (s) => s.currentVersion, numeric: true },
    { key: 'updated', header: 'Modified', value: (s) => s.updatedAt, sortable: true },
  ];

  private readonly retries = new Subject<void>();

  constructor() {
    const id = this.packageId;
    merge(toObservable(id), this.retries.pipe(map(() => id())))
      .pipe(
        tap(() => {
          this.loading.set(true);
          this.failure.set(null);
        }),
        switchMap((packageId) => abortable((signal) => this.api.list(packageId, signal))),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        this.loading.set(false);
        if (result.ok) this.page.set(result.data);
        else this.failure.set(result.failure);
      });
  }

  retry(): void {
    this.retries.next();
  }
}
