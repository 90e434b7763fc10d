import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  debounceTime,
  distinctUntilChanged,
  map,
  merge,
  startWith,
  Subject,
  switchMap,
  tap,
} from 'rxjs';

import { type PackageDto } from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { AssetCounts } from '../../ui/asset-counts';
import { ProblemMessage } from '../../ui/problem-message';

/** One page of the list to fetch: the first of a search (no cursor) or the next one. */
interface PageRequest {
  readonly q: string;
  readonly cursor: string | null;
}

const SEARCH_DEBOUNCE_MS = 300;
const PAGE_SIZE = 50;

/**
 * The package library: a searchable list (`q`, debounced, mirrored in the URL) with asset counts,
 * paged with "load more" (`nextCursor`). A newer search cancels the request still running.
 */
@Component({
  selector: 'ix-packages-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    AssetCounts,
    ProblemMessage,
  ],
  templateUrl: './packages-page.html',
  styleUrl: './packages-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PackagesPage {
  private readonly api = inject(PackagesApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  /** What the search box holds (the request follows it after a pause in typing). */
  readonly search = signal(this.route.snapshot.queryParamMap.get('q') ?? '');
  /** The search the shown items answer. */
  readonly query = signal(this.search().trim());
  readonly packages = signal<PackageDto[]>([]);
  readonly total = signal(0);
  readonly nextCursor = signal<string | null>(null);
  /** A first page is on its way (initial load, new search or retry). */
  readonly loading = signal(true);
  readonly loaded = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly loadingMore = signal(false);
  readonly moreFailure = signal<ApiFailure | null>(null);

  private readonly searchInput = new Subject<string>();
  private readonly pageRequests = new Subject<PageRequest>();

  constructor() {
    const searches = this.searchInput.pipe(
      debounceTime(SEARCH_DEBOUNCE_MS),
      startWith(this.search()),
      map((q) => q.trim()),
      distinctUntilChanged(),
      tap((q) => this.mirrorInUrl(q)),
      map((q): PageRequest => ({ q, cursor: null })),
    );
    merge(searches, this.pageRequests)
      .pipe(
        tap((request) => this.begin(request)),
        switchMap((request) =>
          abortable((signal) =>
            this.api.list(
              { q: request.q || undefined, cursor: request.cursor ?? undefined, limit: PAGE_SIZE },
              signal,
            ),
          ).pipe(map((result) => ({ request, result }))),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(({ request, result }) => {
        const more = request.cursor !== null;
        if (more) this.loadingMore.set(false);
        else this.loading.set(false);
        if (!result.ok) {
          (more ? this.moreFailure : this.failure).set(result.failure);
          return;
        }
        const page = result.data;
        this.packages.update((items) => (more ? [...items, ...page.items] : page.items));
        this.total.set(page.total);
        this.nextCursor.set(page.nextCursor);
        this.loaded.set(true);
      });
  }

  onSearchInput(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.search.set(value);
    this.searchInput.next(value);
  }

  retry(): void {
    this.pageRequests.next({ q: this.query(), cursor: null });
  }

  loadMore(): void {
    const cursor = this.nextCursor();
    if (cursor === null || this.loadingMore()) return;
    this.pageRequests.next({ q: this.query(), cursor });
  }

  private begin(request: PageRequest): void {
    if (request.cursor === null) {
      this.query.set(request.q);
      this.loading.set(true);
      this.failure.set(null);
      this.loadingMore.set(false);
    } else {
      this.loadingMore.set(true);
    }
    this.moreFailure.set(null);
  }

  /** Keeps `?q=` in the address bar, so a search survives reload and can be shared. */
  private mirrorInUrl(q: string): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { q: q === '' ? null : q },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }
}
