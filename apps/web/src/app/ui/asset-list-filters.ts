import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  output,
} from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { ASSET_STATUSES, SORT_VALUES } from '@integrixs/domain';

import { type FilterSpec, type FilterValues } from '../state/list-query-params';

/** The filters of an asset list (schemas, mappings): search, status and order, in the URL. */
export const ASSET_LIST_FILTERS: FilterSpec = [
  { key: 'q', default: '' },
  { key: 'status', default: '', allowed: ['', ...ASSET_STATUSES] },
  { key: 'sort', default: 'name', allowed: SORT_VALUES },
];

/** The orders offered, as the API's `sort` values. */
export const ASSET_SORTS = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: '-updatedAt', label: 'Recently modified' },
  { value: 'updatedAt', label: 'Least recently modified' },
  { value: '-createdAt', label: 'Newest' },
  { value: 'createdAt', label: 'Oldest' },
] as const;

const SEARCH_DEBOUNCE_MS = 300;

/**
 * The search box, status and order of an asset list. Emits each change as a patch of the
 * filters (`{ q }` after a pause in typing, `{ status }`, `{ sort }`); the list's owner keeps
 * the values (see state/persisted-filters.ts).
 */
@Component({
  selector: 'ix-asset-list-filters',
  imports: [MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    <form
      class="filters"
      role="search"
      [attr.aria-label]="'Filter ' + noun()"
      (submit)="$event.preventDefault()"
    >
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>Search {{ noun() }}</mat-label>
        <input
          matInput
          type="search"
          autocomplete="off"
          [value]="values()['q']"
          (input)="onSearch($event)"
        />
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>Status</mat-label>
        <mat-select [value]="values()['status']" (valueChange)="changed.emit({ status: $event })">
          <mat-option value="">Any status</mat-option>
          <mat-option value="DRAFT">Draft</mat-option>
          <mat-option value="READY">Ready</mat-option>
          <mat-option value="ARCHIVED">Archived</mat-option>
        </mat-select>
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>Order</mat-label>
        <mat-select [value]="values()['sort']" (valueChange)="changed.emit({ sort: $event })">
          @for (sort of sorts; track sort.value) {
            <mat-option [value]="sort.value">{{ sort.label }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </form>
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      margin: 0.5rem 0 1rem;
    }
    mat-form-field {
      min-width: 12rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssetListFilters {
  /** What is listed, in the plural ("schemas"): the search box's label names it. */
  readonly noun = input.required<string>();
  readonly values = input.required<FilterValues>();
  readonly changed = output<Record<string, string>>();

  readonly sorts = ASSET_SORTS;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  onSearch(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.emit({ q: value }), SEARCH_DEBOUNCE_MS);
  }
}
