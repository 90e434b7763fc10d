import {
  DestroyRef,
  effect,
  inject,
  Injectable,
  InjectionToken,
  signal,
  untracked,
  type Signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { debounceTime, filter, map, Subject, switchMap, type Observable } from 'rxjs';

import { ApiSession } from '../api/api-session';
import { SessionStore } from '../auth/session.store';
import {
  LiveConnection,
  type LiveMessage,
  type LiveStatus,
  type SocketLike,
} from './live-connection';

/** Opens the live-events socket (the browser's WebSocket; tests substitute their own). */
export const LIVE_SOCKET_FACTORY = new InjectionToken<
  (url: string, protocols: string[]) => SocketLike
>('LIVE_SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
});

/** `ws(s)://<this origin>/api/events`: the API serves the console, so the socket is same-origin. */
export function liveEventsUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`;
}

/**
 * Live updates from the API (`/api/events`): connected while someone is signed in, reconnecting
 * with back-off. Screens subscribe to `forPackage(id)` (that package's events, and `resync`
 * after any gap) and refetch what they show, usually through `liveChanges`.
 */
@Injectable({ providedIn: 'root' })
export class LiveEvents {
  private readonly session = inject(SessionStore);
  private readonly api = inject(ApiSession, { optional: true });
  private readonly createSocket = inject(LIVE_SOCKET_FACTORY);
  private readonly messages = new Subject<LiveMessage>();
  private readonly state = signal<LiveStatus>('off');
  private readonly resyncCount = signal(0);

  /** off (signed out) → connecting → open; waiting between attempts. */
  readonly status: Signal<LiveStatus> = this.state.asReadonly();
  /** How often the screens were told to resynchronise (a reconnect, a gap, the server's resync). */
  readonly resyncs: Signal<number> = this.resyncCount.asReadonly();
  /** Every event, and `{ type: 'resync' }` when events may have been missed. */
  readonly events: Observable<LiveMessage> = this.messages.asObservable();

  private readonly connection = new LiveConnection({
    url: () => liveEventsUrl(window.location),
    token: () => this.api?.accessToken() ?? null,
    renewToken: (rejected) => this.api?.renewAccessToken(rejected) ?? Promise.resolve(null),
    createSocket: (url, protocols) => this.createSocket(url, protocols),
    onMessage: (message) => {
      if (message.type === 'resync') this.resyncCount.update((n) => n + 1);
      this.messages.next(message);
    },
    onStatus: (status) => this.state.set(status),
  });

  constructor() {
    effect(() => {
      const signedIn = this.session.signedIn();
      untracked(() => (signedIn ? this.connection.start() : this.connection.stop()));
    });
    inject(DestroyRef).onDestroy(() => this.connection.stop());
  }

  /** The events of one package, and every `resync`. */
  forPackage(packageId: string): Observable<LiveMessage> {
    return this.events.pipe(filter((m) => m.type === 'resync' || m.packageId === packageId));
  }
}

/** Debounce for refetches: a burst of events (a bulk import) becomes one request. */
export const LIVE_REFETCH_DEBOUNCE_MS = 300;
/** The refetch debounce `liveChanges` uses (component tests set 0). */
export const LIVE_REFETCH_DEBOUNCE = new InjectionToken<number>('LIVE_REFETCH_DEBOUNCE', {
  providedIn: 'root',
  factory: () => LIVE_REFETCH_DEBOUNCE_MS,
});

/**
 * Emits (debounced) when the package `packageId` names has a `relevant` event or after a
 * resync, to refetch on: e.g. `merge(filters$, liveChanges(id, isAssetOf('SCHEMA')))` as a list's
 * restart. Call in an injection context.
 */
export function liveChanges(
  packageId: Signal<string>,
  relevant: (message: LiveMessage) => boolean,
  debounceMs = inject(LIVE_REFETCH_DEBOUNCE),
): Observable<void> {
  const live = inject(LiveEvents);
  return toObservable(packageId).pipe(
    switchMap((id) => live.forPackage(id).pipe(filter((m) => m.type === 'resync' || relevant(m)))),
    debounceTime(debounceMs),
    map(() => undefined),
  );
}

/** Asset events of one type (`SCHEMA`, `ADAPTER`, `MAPPING`, `FLOW`). */
export function isAssetOf(...types: string[]): (message: LiveMessage) => boolean {
  return (m) => m.type.startsWith('asset.') && types.includes(m.assetType ?? '');
}

/** Anything that changes a package's counts or facts: its assets, the package itself. */
export function isPackageChange(message: LiveMessage): boolean {
  return message.type.startsWith('asset.') || message.type.startsWith('package.');
}

/** A flow's own changes and its deployments'. */
export function isFlowChange(message: LiveMessage): boolean {
  return isAssetOf('FLOW')(message) || message.type === 'deployment.changed';
}

/**
 * Calls `refresh` (debounced) on each relevant event of the package and after a resync, until the
 * calling component is destroyed. Call in an injection context.
 */
export function refreshOnLive(
  packageId: Signal<string>,
  relevant: (message: LiveMessage) => boolean,
  refresh: () => void,
): void {
  liveChanges(packageId, relevant)
    .pipe(takeUntilDestroyed())
    .subscribe(() => refresh());
}
