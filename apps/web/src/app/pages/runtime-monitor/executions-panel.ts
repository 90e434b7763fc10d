import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { filter, merge, tap } from 'rxjs';

import { type ExecutionDto } from '@integrixs/api-client';

import { RuntimeApi, type ExecutionQuery } from '../../api/runtime-api.service';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { pagedList, type PagedList } from '../../ui/paged-list';
import { formatDuration } from './runtime-filters';
import { runtimeRefresh } from './runtime-refresh';
import { RuntimeStatus } from './runtime-status';

/** A refresh reads the first page again only while no further page was loaded. */
const FIRST_PAGE = 50;

/**
 * The package's executions for the monitor's filters, newest first, a page at a time; the first
 * page reads again on the monitor's refresh (polling and live events) without a reload or a
 * loading flash. Each row opens the execution's trace.
 */
@Component({
  selector: 'ix-executions-panel',
  imports: [DatePipe, RouterLink, DataList, DataListCell, RuntimeStatus],
  template: `
    <p class="count" aria-live="polite">
      @if (!list.loading() || quiet()) {
        {{ list.total() }}{{ list.totalIsEstimate() ? '+' : '' }}
        {{ list.total() === 1 ? 'execution' : 'executions' }}
      }
    </p>
    <ix-data-list
      label="Executions"
      [columns]="columns"
      [rows]="list.rows()"
      [loading]="list.loading() && !quiet()"
      [failure]="list.failure()"
      [hasMore]="list.hasMore()"
      [loadingMore]="list.loadingMore()"
      (retry)="list.retry()"
      (loadMore)="list.loadMore()"
    >
      <ng-template ixCell="received" [ixCellOf]="list.rows()" let-row>
        <a [routerLink]="['/packages', packageId(), 'runtime', 'executions', row.id]">
          <time [attr.datetime]="row.receivedAt">{{ row.receivedAt | date: 'medium' }}</time>
        </a>
      </ng-template>
      <ng-template ixCell="status" [ixCellOf]="list.rows()" let-row>
        <ix-runtime-status [status]="row.status" />
      </ng-template>
      <ng-template ixCell="message" [ixCellOf]="list.rows()" let-row>
        <code class="id">{{ row.id.slice(0, 8) }}</code>
        @if (row.sourceRef) {
          <span class="source">{{ row.sourceRef }}</span>
        }
      </ng-template>
      <p empty>No execution matches these filters.</p>
      <ng-container failed>The executions could not be loaded.</ng-container>
    </ix-data-list>
  `,
  styles: `
    .count {
      margin: 0 0 0.5rem;
      color: var(--mat-sys-on-surface-variant);
    }
    .source {
      margin-left: 0.5rem;
    }
    .id {
      font-family: var(--ix-mono, ui-monospace, monospace);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExecutionsPanel {
  private readonly api = inject(RuntimeApi);

  readonly packageId = input.required<string>();
  readonly query = input.required<ExecutionQuery>();

  /** The current load is a refresh: the rows stay without a progress bar. */
  readonly quiet = signal(false);

  readonly columns: ListColumn<ExecutionDto>[] = [
    { key: 'received', header: 'Received', rowHeader: true },
    { key: 'flow', header: 'Flow', value: (e) => e.flowName },
    { key: 'environment', header: 'Environment', value: (e) => e.environment },
    { key: 'trigger', header: 'Trigger', value: (e) => e.trigger },
    { key: 'status', header: 'Status' },
    { key: 'attempts', header: 'Attempts', value: (e) => e.attempts, numeric: true },
    {
      key: 'duration',
      header: 'Duration',
      value: (e) => formatDuration(e.durationMs),
      numeric: true,
    },
    { key: 'message', header: 'Message' },
  ];

  readonly list: PagedList<ExecutionDto> = pagedList<ExecutionDto>(
    merge(
      toObservable(this.query).pipe(tap(() => this.quiet.set(false))),
      runtimeRefresh(this.packageId, () => this.query().flowId).pipe(
        filter(() => this.list.rows().length <= FIRST_PAGE && !this.list.loadingMore()),
        tap(() => this.quiet.set(true)),
      ),
    ),
    (cursor, signal) => this.api.executions(this.packageId(), this.query(), cursor, signal),
  );
}
