import { Directive, inject, input, TemplateRef } from '@angular/core';

/** What a cell template gets: the row (`let-row`). */
export interface DataListCellContext<T> {
  readonly $implicit: T;
}

/**
 * How one column of an `ix-data-list` renders its cells, when plain text is not enough:
 * `<ng-template ixCell="name" [ixCellOf]="rows()" let-row>…</ng-template>`. `ixCellOf` (the
 * list's rows) only types `row` in the template.
 */
@Directive({ selector: 'ng-template[ixCell]' })
export class DataListCell<T> {
  /** The column's `key`. */
  readonly ixCell = input.required<string>();
  readonly ixCellOf = input<readonly T[]>([]);
  readonly template = inject<TemplateRef<DataListCellContext<T>>>(TemplateRef);

  static ngTemplateContextGuard<T>(
    _directive: DataListCell<T>,
    _context: unknown,
  ): _context is DataListCellContext<T> {
    return true;
  }
}
