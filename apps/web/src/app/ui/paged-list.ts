import { computed, signal, type Signal, type WritableSignal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { map, merge, Subject, switchMap, tap, type Observable } from 'rxjs';

import { abortable, type ApiFailure, type ApiResult } from '../api/api-result';

/** One page of a cursor-paged API list (`total` and `totalIsEstimate` where the API counts). */
export interface CursorPage<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
  readonly total?: number;
  readonly totalIsEstimate?: boolean;
}

/** A value loaded for a key (e.g. the package id): the value, whether it loads, what failed. */
export interface LoadedValue<T> {
  readonly value: WritableSignal<T>;
  readonly loading: Signal<boolean>;
  readonly failure: Signal<ApiFailure | null>;
  /** Loads again for the current key ("Try again"). */
  retry(): void;
}

/**
 * Loads the value for `key` each time it changes and on `retry()` (`initial` until the first
 * answer); a newer load aborts the one still under way. Call it in an injection context (it
 * stops with the component).
 */
export function loadedValue<K, T>(
  key: Signal<K>,
  load: (key: K, signal: AbortSignal) => Promise<ApiResult<T>>,
  initial: T,
): LoadedValue<T> {
  const value = signal<T>(initial);
  const loading = signal(true);
  const failure = signal<ApiFailure | null>(null);
  const retries = new Subject<void>();
  merge(toObservable(key), retries.pipe(map(() => key())))
    .pipe(
      tap(() => {
        loading.set(true);
        failure.set(null);
      }),
      switchMap((current) => abortable((abort) => load(current, abort))),
      takeUntilDestroyed(),
    )
    .subscribe((result) => {
      loading.set(false);
      if (result.ok) value.set(result.data);
      else failure.set(result.failure);
    });
  return {
    value,
    loading: loading.asReadonly(),
    failure: failure.asReadonly(),
    retry: () => retries.next(),
  };
}

/** A list loaded whole for a key (e.g. the package id): its rows, and retry. */
export type LoadedList<T> = Omit<LoadedValue<T[]>, 'value'> & {
  readonly rows: WritableSignal<T[]>;
};

/** `loadedValue` for a list: no rows until the first answer. */
export function loadedList<K, T>(
  key: Signal<K>,
  load: (key: K, signal: AbortSignal) => Promise<ApiResult<T[]>>,
): LoadedList<T> {
  const { value, ...state } = loadedValue<K, T[]>(key, load, []);
  return { ...state, rows: value };
}

/** A list read a page at a time with the API's cursor ("Load more"), and its retry. */
export interface PagedList<T> {
  readonly rows: Signal<T[]>;
  readonly total: Signal<number>;
  readonly totalIsEstimate: Signal<boolean>;
  readonly nextCursor: Signal<string | null>;
  readonly hasMore: Signal<boolean>;
  readonly loading: Signal<boolean>;
  readonly loadingMore: Signal<boolean>;
  readonly failure: Signal<ApiFailure | null>;
  /** The failure is the first page's (a new filter's): the rows shown answer an older one. */
  readonly failedAtStart: Signal<boolean>;
  /** Asks for the next page (ignored while one is loading). */
  loadMore(): void;
  /** Asks again for the page that failed ("Try again"). */
  retry(): void;
}

/**
 * Reads the first page each time `restart` emits (a new package, a new filter), then the next
 * page on `loadMore()`, appending; `retry()` asks again for the page that failed. A newer request
 * aborts the one still under way. Call it in an injection context (it stops with the component).
 */
export function pagedList<T>(
  restart: Observable<unknown>,
  fetch: (cursor: string | null, signal: AbortSignal) => Promise<ApiResult<CursorPage<T>>>,
  options: { loadingAtStart?: boolean } = {},
): PagedList<T> {
  const rows = signal<T[]>([]);
  const total = signal(0);
  const totalIsEstimate = signal(false);
  const nextCursor = signal<string | null>(null);
  const loading = signal(options.loadingAtStart ?? true);
  const loadingMore = signal(false);
  const failure = signal<ApiFailure | null>(null);
  // The cursor of the page that failed, so "Try again" asks for the same page.
  const cursorOfFailure = signal<string | null>(null);
  const pages = new Subject<string | null>();
  merge(restart.pipe(map(() => null)), pages)
    .pipe(
      tap((cursor) => {
        (cursor === null ? loading : loadingMore).set(true);
        failure.set(null);
      }),
      switchMap((cursor) =>
        abortable((abort) => fetch(cursor, abort)).pipe(map((result) => ({ cursor, result }))),
      ),
      takeUntilDestroyed(),
    )
    .subscribe(({ cursor, result }) => {
      loading.set(false);
      loadingMore.set(false);
      if (!result.ok) {
        cursorOfFailure.set(cursor);
        failure.set(result.failure);
        return;
      }
      const page = result.data;
      rows.update((shown) => (cursor === null ? page.items : [...shown, ...page.items]));
      total.set(page.total ?? 0);
      totalIsEstimate.set(page.totalIsEstimate ?? false);
      nextCursor.set(page.nextCursor);
    });
  const load = (cursor: string | null) => {
    if (!loadingMore()) pages.next(cursor);
  };
  return {
    rows: rows.asReadonly(),
    total: total.asReadonly(),
    totalIsEstimate: totalIsEstimate.asReadonly(),
    nextCursor: nextCursor.asReadonly(),
    hasMore: computed(() => nextCursor() !== null),
    loading: loading.asReadonly(),
    loadingMore: loadingMore.asReadonly(),
    failure: failure.asReadonly(),
    failedAtStart: computed(() => failure() !== null && cursorOfFailure() === null),
    loadMore: () => load(nextCursor()),
    retry: () => load(cursorOfFailure()),
  };
}
