import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  contentChildren,
  effect,
  input,
  output,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatPaginator, MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSort, MatSortModule, type SortDirection } from '@angular/material/sort';
import { MatTableDataSource, MatTableModule } from '@angular/material/table';

import { type ApiFailure } from '../../api/api-result';
import { ProblemMessage } from '../problem-message';
import { DataListCell } from './data-list-cell';

/** One column: its header, and its cell text unless an `ixCell` template renders it. */
export interface ListColumn<T> {
  readonly key: string;
  readonly header: string;
  /** The cell's text, and what sorting compares. */
  readonly value?: (row: T) => string | number | null | undefined;
  /** Sortable by a click on the header (needs `value`). */
  readonly sortable?: boolean;
  /** The row's name: rendered as its row header (`rowheader`), so a screen reader says it. */
  readonly rowHeader?: boolean;
  /** Numbers align to the end. */
  readonly numeric?: boolean;
}

export interface ListSort {
  readonly active: string;
  readonly direction: SortDirection;
}

/**
 * The console's list: a Material table with sortable columns and either client-side paging
 * (`pageSize`) or keyset paging ("Load more" while `hasMore`, e.g. `nextCursor`), and the
 * states every list has: loading, empty (the projected `[empty]` content), and failed (the
 * projected `[failed]` headline, the API's problem and "Try again", which emits `retry`).
 *
 * ```html
 * <ix-data-list label="Members" [columns]="columns" [rows]="members()" [loading]="loading()"
 *   [failure]="failure()" (retry)="load()">
 *   <ng-template ixCell="role" [ixCellOf]="members()" let-row><ix-role-label [role]="row.role" /></ng-template>
 *   <p empty>No members yet.</p>
 *   <ng-container failed>The members could not be loaded.</ng-container>
 * </ix-data-list>
 * ```
 */
@Component({
  selector: 'ix-data-list',
  imports: [
    NgTemplateOutlet,
    MatButtonModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSortModule,
    MatTableModule,
    ProblemMessage,
  ],
  templateUrl: './data-list.html',
  styleUrl: './data-list.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DataList<T> {
  /** The table's accessible name. */
  readonly label = input.required<string>();
  readonly columns = input.required<readonly ListColumn<T>[]>();
  readonly rows = input<readonly T[]>([]);
  /** A page is on its way: the loading state while there are no rows, else a progress bar. */
  readonly loading = input(false);
  /** The last load failed. */
  readonly failure = input<ApiFailure | null>(null);
  /** Client-side paging: rows per page (the paginator shows only when there is more than one). */
  readonly pageSize = input<number | null>(null);
  /** Keyset paging: the server has more rows ("Load more" emits `loadMore`). */
  readonly hasMore = input(false);
  readonly loadingMore = input(false);
  /** The sort shown first (the rows are assumed to arrive in it). */
  readonly initialSort = input<ListSort | null>(null);

  readonly retry = output();
  readonly loadMore = output();

  readonly cells = contentChildren(DataListCell);
  readonly columnKeys = computed(() => this.columns().map((column) => column.key));
  readonly templates = computed(
    () => new Map(this.cells().map((cell) => [cell.ixCell(), cell.template])),
  );
  readonly paged = computed(() => {
    const size = this.pageSize();
    return size !== null && this.rows().length > size;
  });

  readonly dataSource = new MatTableDataSource<T>([]);
  private readonly sort = viewChild(MatSort);
  private readonly paginator = viewChild(MatPaginator);

  constructor() {
    this.dataSource.sortingDataAccessor = (row, key) => {
      const value = this.columns()
        .find((column) => column.key === key)
        ?.value?.(row);
      return typeof value === 'string' ? value.toLocaleLowerCase() : (value ?? '');
    };
    effect(() => {
      this.dataSource.data = [...this.rows()];
    });
    effect(() => {
      this.dataSource.sort = this.sort() ?? null;
    });
    effect(() => {
      this.dataSource.paginator = this.paged() ? (this.paginator() ?? null) : null;
    });
  }

  textOf(column: ListColumn<T>, row: T): string {
    const value = column.value?.(row);
    return value === null || value === undefined ? '' : String(value);
  }
}
