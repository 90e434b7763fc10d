import { signal, type Signal, type WritableSignal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import { abortable, type ApiFailure, type ApiResult } from '../api/api-result';

/** Where a page that loads one thing by its route parameters stands. */
export type LoadPhase = 'loading' | 'loaded' | 'not-found' | 'failed';

/** What a detail page shows while, and after, it loads its thing. */
export interface RouteLoad<T> {
  readonly phase: Signal<LoadPhase>;
  readonly failure: Signal<ApiFailure | null>;
  /** What was loaded; the page may update it (after a save, a check). */
  readonly loaded: WritableSignal<T | null>;
  /** Loads again for the same route ("Try again"). */
  retry(): void;
}

/**
 * Loads a page's thing for `key` (its route parameters) each time they change and on `retry()`;
 * a newer load aborts the one still under way. A failure whose status is in `notFound` (by
 * default 404, and 400 for a malformed id: both name nothing to a reader) is `not-found`, any
 * other `failed`. `onChange` runs when the route changes (not on a retry), `onStart` before each
 * load. Call it in an injection context (it stops with the component).
 */
export function routeLoad<K, T>(
  key: Signal<K>,
  load: (key: K, signal: AbortSignal) => Promise<ApiResult<T>>,
  options: {
    readonly notFound?: readonly number[];
    readonly onChange?: () => void;
    readonly onStart?: () => void;
  } = {},
): RouteLoad<T> {
  const { notFound = [404, 400], onChange, onStart } = options;
  const phase = signal<LoadPhase>('loading');
  const failure = signal<ApiFailure | null>(null);
  const loaded = signal<T | null>(null);
  const retries = new Subject<void>();
  merge(toObservable(key).pipe(tap(() => onChange?.())), retries.pipe(map(() => key())))
    .pipe(
      tap(() => {
        phase.set('loading');
        failure.set(null);
        onStart?.();
      }),
      switchMap((current) => abortable((abort) => load(current, abort))),
      takeUntilDestroyed(),
    )
    .subscribe((result) => {
      if (!result.ok) {
        failure.set(result.failure);
        phase.set(notFound.includes(result.failure.status) ? 'not-found' : 'failed');
        return;
      }
      loaded.set(result.data);
      phase.set('loaded');
    });
  return {
    phase: phase.asReadonly(),
    failure: failure.asReadonly(),
    loaded,
    retry: () => retries.next(),
  };
}
