import { DOCUMENT } from '@angular/common';
import {
  afterNextRender,
  DestroyRef,
  effect,
  inject,
  Injector,
  signal,
  type Signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { combineLatest } from 'rxjs';

import {
  filtersFromParams,
  filtersToParams,
  namesAnyFilter,
  nonDefaultParams,
  type FilterSpec,
  type FilterValues,
} from './list-query-params';
import { TabStateStore } from './tab-state';

/** A tab's filters, mirrored in the URL and remembered per package. */
export interface PersistedFilters {
  /** The filters now in effect (from the URL, or restored from the store). */
  readonly values: Signal<FilterValues>;
  /** Changes some filters: the URL follows (replacing the entry), then `values`. */
  set(patch: Readonly<Record<string, string>>): void;
}

/**
 * Binds a list's filters to the query parameters of the current route and to the tab-state
 * store, for `owner` (the package id, or LIBRARY) and `tab`:
 * - a URL naming any of the filters wins (a deep link);
 * - a URL naming none restores what the store kept for this package and tab (and writes it into
 *   the URL), so leaving and coming back keeps the tab's filters;
 * - every change is saved in the store; the scroll position is saved as the page scrolls and
 *   restored once `ready()` says the list shows.
 * Call it in an injection context (it stops with the component).
 */
export function persistedFilters(
  owner: Signal<string>,
  tab: string,
  spec: FilterSpec,
  ready: () => boolean,
): PersistedFilters {
  const route = inject(ActivatedRoute);
  const router = inject(Router);
  const store = inject(TabStateStore);
  const injector = inject(Injector);
  const document = inject(DOCUMENT);

  const initialParams = route.snapshot.queryParamMap;
  const initial = namesAnyFilter(spec, initialParams)
    ? filtersFromParams(spec, initialParams)
    : filtersFromParams(spec, store.params(owner(), tab));
  const values = signal<FilterValues>(initial, { equal: sameValues });

  let restoredFor: string | null = null;
  combineLatest([toObservable(owner), route.queryParamMap])
    .pipe(takeUntilDestroyed())
    .subscribe(([id, params]) => {
      if (restoredFor !== id) {
        restoredFor = id;
        const saved = store.params(id, tab);
        if (!namesAnyFilter(spec, params) && Object.keys(saved).length > 0) {
          values.set(filtersFromParams(spec, saved));
          void router.navigate([], {
            relativeTo: route,
            queryParams: saved,
            queryParamsHandling: 'merge',
            replaceUrl: true,
          });
          return;
        }
      }
      const current = filtersFromParams(spec, params);
      values.set(current);
      store.saveParams(id, tab, nonDefaultParams(spec, current));
    });

  // Scroll: saved as it happens (the container outlives the tab), restored once the list shows.
  const container = scrollContainer(document);
  if (container) {
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        store.saveScroll(owner(), tab, container.scrollTop);
      });
    };
    container.addEventListener('scroll', onScroll, { passive: true });
    inject(DestroyRef).onDestroy(() => {
      container.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
    });
    let restoredScrollFor: string | null = null;
    effect(() => {
      const id = owner();
      if (!ready() || restoredScrollFor === id) return;
      restoredScrollFor = id;
      const top = store.get(id, tab).scrollTop;
      if (top > 0) afterNextRender(() => container.scrollTo({ top }), { injector });
    });
  }

  return {
    values: values.asReadonly(),
    set: (patch) => {
      const next = { ...values(), ...patch };
      void router.navigate([], {
        relativeTo: route,
        queryParams: filtersToParams(spec, next),
        queryParamsHandling: 'merge',
        replaceUrl: true,
      });
    },
  };
}

/** The element the console's pages scroll in (the side navigation's content), or the page. */
function scrollContainer(document: Document): HTMLElement | null {
  return (
    document.querySelector<HTMLElement>('mat-sidenav-content') ??
    (document.scrollingElement as HTMLElement | null)
  );
}

function sameValues(a: FilterValues, b: FilterValues): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
