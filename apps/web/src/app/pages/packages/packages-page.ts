import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';

import { type PackageDto } from '@integrixs/api-client';
import { SORT_VALUES } from '@integrixs/domain';

import { PackagesApi, type PackageListQuery } from '../../api/packages-api.service';
import { SessionStore } from '../../auth/session.store';
import { dayToInstant, type FilterSpec, type FilterValues } from '../../state/list-query-params';
import { persistedFilters } from '../../state/persisted-filters';
import { LIBRARY } from '../../state/tab-state';
import { AssetCounts } from '../../ui/asset-counts';
import { Notifier } from '../../ui/notifier';
import { pagedList } from '../../ui/paged-list';
import { ProblemMessage } from '../../ui/problem-message';
import { PackageFormDialog, type PackageFormData } from './package-form-dialog';

const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 300;

/** The library's filters, in the URL (`?q=…&tag=…&owner=…&updatedFrom=…&sort=…&deleted=true`). */
export const LIBRARY_FILTERS: FilterSpec = [
  { key: 'q', default: '' },
  { key: 'tag', default: '' },
  { key: 'owner', default: '' },
  { key: 'updatedFrom', default: '', kind: 'date' },
  { key: 'updatedTo', default: '', kind: 'date' },
  { key: 'sort', default: 'name', allowed: SORT_VALUES },
  { key: 'deleted', default: '', allowed: ['', 'true'] },
];

export const LIBRARY_SORTS = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: '-updatedAt', label: 'Recently updated' },
  { value: 'updatedAt', label: 'Least recently updated' },
  { value: '-createdAt', label: 'Newest' },
  { value: 'createdAt', label: 'Oldest' },
] as const;

/** The API query for the library's filters (dates are whole days in the user's time zone). */
export function libraryQuery(values: FilterValues): PackageListQuery {
  const text = (key: string) => values[key]?.trim() || undefined;
  return {
    q: text('q'),
    tag: text('tag'),
    owner: text('owner'),
    updatedFrom: dayToInstant(values['updatedFrom'] ?? ''),
    updatedTo: dayToInstant(values['updatedTo'] ?? '', true),
    sort: (values['sort'] || undefined) as PackageListQuery['sort'],
    deleted: values['deleted'] === 'true' ? true : undefined,
  };
}

/**
 * The package library: search, filters (tag, owner, updated between two days), order and the
 * deleted packages (to restore), all in the URL and kept while the user is in a package; paged
 * with the API's cursor ("Load more"), each package with its asset counts; "New package".
 */
@Component({
  selector: 'ix-packages-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    AssetCounts,
    ProblemMessage,
  ],
  templateUrl: './packages-page.html',
  styleUrl: './packages-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PackagesPage {
  private readonly api = inject(PackagesApi);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly session = inject(SessionStore);

  readonly sorts = LIBRARY_SORTS;
  readonly filters = persistedFilters(
    signal(LIBRARY),
    'library',
    LIBRARY_FILTERS,
    () => !this.list.loading(),
  );
  readonly values = this.filters.values;
  readonly deleted = computed(() => this.values()['deleted'] === 'true');
  /** Any filter besides the order is set. */
  readonly filtered = computed(() =>
    ['q', 'tag', 'owner', 'updatedFrom', 'updatedTo'].some((key) => this.values()[key] !== ''),
  );
  readonly canCreate = computed(() => this.session.can('package:create'));
  readonly list = pagedList<PackageDto>(toObservable(this.values), (cursor, signal) =>
    this.api.list(
      { ...libraryQuery(this.values()), cursor: cursor ?? undefined, limit: PAGE_SIZE },
      signal,
    ),
  );
  /** The package being restored (its button shows progress). */
  readonly restoring = signal<string | null>(null);

  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.timers.forEach((timer) => clearTimeout(timer)));
  }

  onSearchInput(event: Event): void {
    this.debounced('q', (event.target as HTMLInputElement).value);
  }

  onTextFilter(key: 'tag' | 'owner', event: Event): void {
    this.debounced(key, (event.target as HTMLInputElement).value);
  }

  set(key: string, value: string): void {
    this.filters.set({ [key]: value });
  }

  clearFilters(): void {
    this.filters.set({ q: '', tag: '', owner: '', updatedFrom: '', updatedTo: '' });
  }

  create(): void {
    const ref = this.dialog.open<PackageFormDialog, PackageFormData, PackageDto>(
      PackageFormDialog,
      { data: { pkg: null }, width: '32rem', maxWidth: '95vw' },
    );
    ref.afterClosed().subscribe((pkg) => {
      if (!pkg) return;
      this.notifier.done(`Created ${pkg.name}.`);
      void this.router.navigate(['/packages', pkg.id]);
    });
  }

  async restore(pkg: PackageDto): Promise<void> {
    this.restoring.set(pkg.id);
    const result = await this.api.restore(pkg.id);
    this.restoring.set(null);
    if (!result.ok) {
      this.notifier.failed(`${pkg.name} could not be restored.`, result.failure);
      return;
    }
    this.notifier.done(`Restored ${pkg.name}.`);
    this.list.retry();
  }

  private debounced(key: string, value: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => this.filters.set({ [key]: value }), SEARCH_DEBOUNCE_MS),
    );
  }
}
