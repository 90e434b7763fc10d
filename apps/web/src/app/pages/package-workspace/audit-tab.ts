import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { filter } from 'rxjs';

import { type AuditEntryDto } from '@integrixs/api-client';

import { PackagesApi } from '../../api/packages-api.service';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { pagedList } from '../../ui/paged-list';
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
          [rows]="list.rows()"
          [loading]="list.loading()"
          [failure]="list.failure()"
          [hasMore]="list.hasMore()"
          [loadingMore]="list.loadingMore()"
          (retry)="list.retry()"
          (loadMore)="list.loadMore()"
        >
          <ng-template ixCell="when" [ixCellOf]="list.rows()" let-entry>
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
  /**
   * The trail, newest first. The permission is known once the package has loaded; the first page
   * follows it.
   */
  readonly list = pagedList<AuditEntryDto>(
    toObservable(computed(() => (this.allowed() ? this.workspace.id() : null))).pipe(
      filter((packageId) => packageId !== null),
    ),
    (cursor, signal) => this.api.audit(this.workspace.id(), cursor, PAGE_SIZE, signal),
    { loadingAtStart: false },
  );

  readonly columns: ListColumn<AuditEntryDto>[] = [
    { key: 'when', header: 'When', value: (entry) => entry.occurredAt, rowHeader: true },
    { key: 'action', header: 'Action', value: (entry) => entry.action },
    { key: 'entity', header: 'What', value: (entry) => entry.entityType },
    { key: 'actor', header: 'Who', value: (entry) => entry.actorName ?? entry.actor },
  ];
}
