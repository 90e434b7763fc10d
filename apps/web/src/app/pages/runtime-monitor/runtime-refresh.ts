import { DOCUMENT } from '@angular/common';
import { inject, type Signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import {
  asyncScheduler,
  distinctUntilChanged,
  filter,
  fromEvent,
  interval,
  map,
  merge,
  switchMap,
  throttleTime,
  type Observable,
  type SchedulerLike,
} from 'rxjs';

import { type LiveMessage } from '../../live/live-connection';
import { liveChanges, LiveEvents } from '../../live/live-events.service';

/**
 * How often the monitor reads again while the live-events socket is open: a fallback only, the
 * API announces each flow's execution changes (`execution.changed`, coalesced) over the socket.
 */
export const RUNTIME_POLL_MS = 30_000;
/** How often it reads again while the socket is not open (connecting, waiting to reconnect). */
export const RUNTIME_OFFLINE_POLL_MS = 5_000;
/** A burst of changes reloads each list at most once per this (first at once, last at the end). */
export const RUNTIME_REFRESH_THROTTLE_MS = 1_000;

/**
 * Live events that change what the monitor shows: a deployment's change (deploy, suspend,
 * rollback), and any runtime event the API announces (`execution.changed`, `runtime.*`).
 */
export function isRuntimeChange(message: LiveMessage): boolean {
  return (
    message.type === 'deployment.changed' ||
    message.type.startsWith('runtime.') ||
    message.type.startsWith('execution.')
  );
}

export interface RuntimeRefreshSources {
  /** Whether the live-events socket is open (changes arrive live, polling slows down). */
  liveOpen: Observable<boolean>;
  /** Live changes of the package, resyncs, the page becoming visible again. */
  changes: Observable<unknown>;
  /** Polls only while this holds (the page is visible). */
  visible: () => boolean;
}

/**
 * The monitor's refresh from its sources: each change, and a poll every RUNTIME_POLL_MS while
 * the socket is open (RUNTIME_OFFLINE_POLL_MS while it is not), throttled so that a flood of
 * changes reloads at most once per RUNTIME_REFRESH_THROTTLE_MS, with a last reload after it.
 */
export function runtimeRefreshOf(
  sources: RuntimeRefreshSources,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<void> {
  const polls = sources.liveOpen.pipe(
    distinctUntilChanged(),
    switchMap((open) =>
      interval(open ? RUNTIME_POLL_MS : RUNTIME_OFFLINE_POLL_MS, scheduler).pipe(
        filter(sources.visible),
      ),
    ),
  );
  return merge(polls, sources.changes).pipe(
    throttleTime(RUNTIME_REFRESH_THROTTLE_MS, scheduler, { leading: true, trailing: true }),
    map(() => undefined),
  );
}

/**
 * Whether a live message changes a view of `flowId`'s executions (any flow when undefined): an
 * `execution.changed` of another flow does not; deployment changes and resyncs always do.
 */
export function isRuntimeChangeOf(message: LiveMessage, flowId: string | undefined): boolean {
  if (!isRuntimeChange(message)) return false;
  return message.type !== 'execution.changed' || !flowId || message.flowId === flowId;
}

/**
 * Emits when the monitor should read its lists again without a reload (runtimeRefreshOf): on the
 * package's execution and deployment events and resyncs from the live-events socket, when the
 * page becomes visible again, and by a slow poll as a fallback. `flowId`: the flow the view shows
 * (its filter), so other flows' executions do not reload it. Each caller (list) gets its own
 * throttle. Call in an injection context.
 */
export function runtimeRefresh(
  packageId: Signal<string>,
  flowId: () => string | undefined = () => undefined,
): Observable<void> {
  const document = inject(DOCUMENT);
  const live = inject(LiveEvents);
  const visible = () => document.visibilityState !== 'hidden';
  return runtimeRefreshOf({
    liveOpen: toObservable(live.status).pipe(map((status) => status === 'open')),
    changes: merge(
      fromEvent(document, 'visibilitychange').pipe(filter(visible)),
      // No debounce of its own: the throttle bounds the reloads even under a steady flood.
      liveChanges(packageId, (message) => isRuntimeChangeOf(message, flowId()), 0),
    ),
    visible,
  });
}
