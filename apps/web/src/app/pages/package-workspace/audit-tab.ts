import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { filter, map, merge, Subject, switchMap, tap } from 'rxjs';

import { type AuditEntryDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { PackageWorkspace } from './package-workspace';

const PAGE_SIZE = 50;

/**
 * The package's audit trail, newest first, a page at a time ("Load more"). Only package
 * administrators may read it (`package:audit`); anyone else is told so instead of getting a 403.
 */
@Component({
  selector: 'ix-audit-tab',
  imports: [DatePipe, DataList, DataListCell],
  template: `
    <section class="ix-card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit</h2>
      @if (allowed()) {
        <ix-data-list
          label="The package's audit trail, newest first"
          [columns]="columns"
          [rows]="entries()"
          [loading]="loading()"
          [failure]="failure()"
          [hasMore]="nextCursor() !== null"
          [loadingMore]="loadingMore()"
          (retry)="load(cursorOfFailure())"
          (loadMore)="load(nextCursor())"
        >
          <ng-template ixCell="when" [ixCellOf]="entries()" let-entry>
            <time [attr.datetime]="entry.occurredAt">{{ entry.occurredAt | date: 'medium' }}</time>
          </ng-template>
          <p empty>Nothing has been recorded for this package yet.</p>
          <ng-container failed>The audit trail could not be loaded.</ng-container>
        </ix-data-list>
      } @else {
        <div class="ix-state"><p>Only package administrators can read the audit trail.</p></div>
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditTab {
  private readonly api = inject(PackagesApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly allowed = computed(() => this.workspace.may('package:audit'));
  readonly entries = signal<AuditEntryDto[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly loadingMore = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  /** The cursor of the page that failed, so "Try again" asks for the same page. */
  readonly cursorOfFailure = signal<string | null>(null);

  readonly columns: ListColumn<AuditEntryDto>[] = [
    { key: 'when', header: 'When', value: (entry) => entry.occurredAt, rowHeader: true },
    { key: 'action', header: 'Action', value: (entry) => entry.action },
    { key: 'entity', header: 'What', value: (entry) => entry.entityType },
    { key: 'actor', header: 'Who', value: (entry) => entry.actorName ?? entry.actor },
  ];

  private readonly pages = new Subject<string | null>();

  constructor() {
    const id = this.workspace.id;
    // The permission is known once the package has loaded; the first page follows it.
    const first = toObservable(computed(() => (this.allowed() ? id() : null))).pipe(
      filter((packageId) => packageId !== null),
      map(() => null),
    );
    merge(first, this.pages)
      .pipe(
        tap((cursor) => {
          (cursor === null ? this.loading : this.loadingMore).set(true);
          this.failure.set(null);
        }),
        switchMap((cursor) =>
          abortable((signal) => this.api.audit(id(), cursor, PAGE_SIZE, signal)).pipe(
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
        this.entries.update((entries) =>
          cursor === null ? page.items : [...entries, ...page.items],
        );
        this.nextCursor.set(page.nextCursor);
      });
  }

  load(cursor: string | null): void {
    if (!this.loadingMore()) this.pages.next(cursor);
  }
}
