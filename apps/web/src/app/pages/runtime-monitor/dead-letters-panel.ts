import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { filter, merge, Subject, tap } from 'rxjs';

import { type DeadLetterDto, type ReplayResultDto } from '@integrixs/api-client';

import { RuntimeApi, type DeadLetterQuery, type ReplayPins } from '../../api/runtime-api.service';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { Notifier } from '../../ui/notifier';
import { pagedList, type PagedList } from '../../ui/paged-list';
import { bulkReplayRows, bulkReplaySummary, type BulkReplayRow } from './bulk-replay';
import { ReplayDialog, type ReplayDialogData } from './replay-dialog';
import { runtimeRefresh } from './runtime-refresh';
import { RuntimeStatus } from './runtime-status';
import { describe } from './step-timeline';

const FIRST_PAGE = 50;

/**
 * The dead-letter queue for the monitor's filters: each dead letter's flow, failed node, error
 * and attempts; for operators a checkbox per OPEN one with a bulk replay (original pins or the
 * active deployment; the outcome per id shows below), and per row Replay… (the edit dialog) and
 * Discard (after a confirmation).
 */
@Component({
  selector: 'ix-dead-letters-panel',
  imports: [
    DatePipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatSelectModule,
    DataList,
    DataListCell,
    RuntimeStatus,
  ],
  template: `
    @if (canOperate()) {
      <div class="bulk" role="group" aria-label="Bulk replay">
        <mat-checkbox
          [checked]="allSelected()"
          [indeterminate]="selected().size > 0 && !allSelected()"
          [disabled]="openRows().length === 0"
          (change)="selectAll($event.checked)"
          >Select all open</mat-checkbox
        >
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Replay on</mat-label>
          <mat-select name="bulk-pins" [(ngModel)]="pins">
            <mat-option value="ORIGINAL">Original versions</mat-option>
            <mat-option value="ACTIVE">Active deployment</mat-option>
          </mat-select>
        </mat-form-field>
        <button
          matButton="filled"
          type="button"
          [disabled]="selected().size === 0 || replaying()"
          (click)="replaySelected()"
        >
          @if (replaying()) {
            Replaying…
          } @else {
            Replay selected ({{ selected().size }})
          }
        </button>
      </div>
    }
    @if (results(); as results) {
      <section class="results" aria-labelledby="bulk-results-heading" data-testid="bulk-results">
        <div class="ix-section-head">
          <h3 id="bulk-results-heading">Bulk replay: {{ results.summary }}</h3>
          <button matButton type="button" (click)="results$.set(null)">Dismiss</button>
        </div>
        <ul>
          @for (row of results.rows; track row.id) {
            <li [class.skipped]="!row.replayed">
              {{ row.label }}: {{ row.outcome }}
              @if (row.messageId) {
                —
                <a [routerLink]="['/packages', packageId(), 'runtime', 'executions', row.messageId]"
                  >new message</a
                >
              }
              @if (row.detail) {
                ({{ row.detail }})
              }
            </li>
          }
        </ul>
      </section>
    }
    <ix-data-list
      label="Dead letters"
      [columns]="columns()"
      [rows]="list.rows()"
      [loading]="list.loading() && !quiet()"
      [failure]="list.failure()"
      [hasMore]="list.hasMore()"
      [loadingMore]="list.loadingMore()"
      (retry)="list.retry()"
      (loadMore)="list.loadMore()"
    >
      <ng-template ixCell="select" [ixCellOf]="list.rows()" let-row>
        @if (row.status === 'OPEN') {
          <mat-checkbox
            [checked]="selected().has(row.id)"
            [aria-label]="'Select the dead letter of ' + row.flowName + ' at ' + row.nodeId"
            (change)="toggle(row.id, $event.checked)"
          />
        }
      </ng-template>
      <ng-template ixCell="created" [ixCellOf]="list.rows()" let-row>
        <a [routerLink]="['/packages', packageId(), 'runtime', 'executions', row.messageId]">
          <time [attr.datetime]="row.createdAt">{{ row.createdAt | date: 'medium' }}</time>
        </a>
      </ng-template>
      <ng-template ixCell="status" [ixCellOf]="list.rows()" let-row>
        <ix-runtime-status [status]="row.status" />
      </ng-template>
      <ng-template ixCell="error" [ixCellOf]="list.rows()" let-row>
        {{ describe(row.error) }}
      </ng-template>
      <ng-template ixCell="actions" [ixCellOf]="list.rows()" let-row>
        @if (row.status === 'OPEN') {
          <div class="row-actions">
            <button matButton="outlined" type="button" (click)="replay(row)">Replay…</button>
            <button matButton type="button" (click)="discard(row)">Discard</button>
          </div>
        }
      </ng-template>
      <p empty>No dead letter matches these filters.</p>
      <ng-container failed>The dead letters could not be loaded.</ng-container>
    </ix-data-list>
  `,
  styles: `
    .bulk {
      display: flex;
      flex-wrap: wrap;
      gap: 1rem;
      align-items: center;
      margin-bottom: 0.75rem;
    }
    .results {
      border: 1px solid var(--ix-border, #ccc);
      border-radius: 0.5rem;
      padding: 0.5rem 1rem;
      margin-bottom: 0.75rem;
    }
    .results h3 {
      margin: 0;
      font: var(--mat-sys-title-small);
    }
    .skipped {
      color: var(--mat-sys-error);
    }
    .row-actions {
      display: flex;
      gap: 0.25rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeadLettersPanel {
  private readonly api = inject(RuntimeApi);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  readonly packageId = input.required<string>();
  readonly query = input.required<DeadLetterQuery>();
  /** The caller holds runtime:operate (replay, discard). */
  readonly canOperate = input(false);

  readonly quiet = signal(false);
  readonly selected = signal<ReadonlySet<string>>(new Set());
  readonly replaying = signal(false);
  pins: ReplayPins = 'ORIGINAL';
  readonly results$ = signal<{ summary: string; rows: BulkReplayRow[] } | null>(null);
  readonly results = this.results$.asReadonly();
  private readonly reloads = new Subject<void>();

  readonly columns = computed<ListColumn<DeadLetterDto>[]>(() => [
    ...(this.canOperate() ? [{ key: 'select', header: 'Select' }] : []),
    { key: 'created', header: 'Dead-lettered', rowHeader: true },
    { key: 'flow', header: 'Flow', value: (d) => d.flowName },
    { key: 'environment', header: 'Environment', value: (d) => d.environment },
    { key: 'node', header: 'Failed step', value: (d) => d.nodeId },
    { key: 'error', header: 'Error' },
    { key: 'attempts', header: 'Attempts', value: (d) => d.attempts, numeric: true },
    { key: 'status', header: 'Status' },
    ...(this.canOperate() ? [{ key: 'actions', header: 'Actions' }] : []),
  ]);

  readonly list: PagedList<DeadLetterDto> = pagedList<DeadLetterDto>(
    merge(
      toObservable(this.query).pipe(
        tap(() => {
          this.quiet.set(false);
          this.selected.set(new Set());
        }),
      ),
      merge(
        this.reloads,
        runtimeRefresh(this.packageId, () => this.query().flowId).pipe(
          filter(() => this.list.rows().length <= FIRST_PAGE && !this.list.loadingMore()),
        ),
      ).pipe(tap(() => this.quiet.set(true))),
    ),
    (cursor, signal) => this.api.deadLetters(this.packageId(), this.query(), cursor, signal),
  );
  readonly openRows = computed(() => this.list.rows().filter((row) => row.status === 'OPEN'));
  readonly allSelected = computed(
    () => this.openRows().length > 0 && this.openRows().every((row) => this.selected().has(row.id)),
  );
  readonly describe = describe;

  toggle(id: string, on: boolean): void {
    this.selected.update((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  selectAll(on: boolean): void {
    this.selected.set(new Set(on ? this.openRows().map((row) => row.id) : []));
  }

  async replaySelected(): Promise<void> {
    const ids = [...this.selected()];
    if (ids.length === 0 || this.replaying()) return;
    this.replaying.set(true);
    const shown = this.list.rows();
    const result = await this.api.replayMany(this.packageId(), ids, this.pins);
    this.replaying.set(false);
    if (!result.ok) {
      this.notifier.failed('The dead letters were not replayed.', result.failure);
      return;
    }
    this.results$.set({
      summary: bulkReplaySummary(result.data),
      rows: bulkReplayRows(result.data, shown),
    });
    this.selected.set(new Set());
    this.reloads.next();
  }

  replay(deadLetter: DeadLetterDto): void {
    const ref = this.dialog.open<ReplayDialog, ReplayDialogData, ReplayResultDto>(ReplayDialog, {
      data: { packageId: this.packageId(), deadLetter },
      width: '44rem',
      maxWidth: '95vw',
    });
    ref.afterClosed().subscribe((result) => {
      if (!result) return;
      this.notifier.done(`Replayed as message ${result.messageId.slice(0, 8)}.`);
      this.reloads.next();
    });
  }

  async discard(deadLetter: DeadLetterDto): Promise<void> {
    const sure = await this.confirm.ask({
      title: 'Discard this dead letter?',
      message: `The failed message of ${deadLetter.flowName} at ${deadLetter.nodeId} will not be replayed. It is kept, marked discarded.`,
      confirm: 'Discard',
      destructive: true,
    });
    if (!sure) return;
    const result = await this.api.discard(this.packageId(), deadLetter.id);
    if (!result.ok) {
      this.notifier.failed('The dead letter was not discarded.', result.failure);
      return;
    }
    this.notifier.done('Discarded the dead letter.');
    this.reloads.next();
  }
}
