import { Injectable, signal } from '@angular/core';

/** What the console remembers of one tab of one package (or of the package library). */
export interface SavedTab {
  /** The tab's filters and sort away from their defaults, as query parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** How far the page was scrolled (pixels) when the tab was left. */
  readonly scrollTop: number;
}

/** The key of the package library's own state (it belongs to no package). */
export const LIBRARY = '';

const EMPTY: SavedTab = { params: {}, scrollTop: 0 };

/**
 * The state of each workspace tab per package, kept while the console is open (not across a
 * reload: the address bar carries the filters then). Leaving a tab (another tab, another package,
 * an asset's page, the quick switcher) and coming back restores its filters, sort and scroll:
 * the tab links carry the saved query parameters, and a tab opened without any reads them here.
 * The last tab open in each package is remembered too, so switching back to a package reopens it.
 */
@Injectable({ providedIn: 'root' })
export class TabStateStore {
  private readonly tabs = signal<ReadonlyMap<string, SavedTab>>(new Map());
  private readonly lastTabs = signal<ReadonlyMap<string, string>>(new Map());

  /** The saved state of `tab` in `packageId` (no filters, top of the page when none). */
  get(packageId: string, tab: string): SavedTab {
    return this.tabs().get(keyOf(packageId, tab)) ?? EMPTY;
  }

  /** The saved query parameters of `tab` in `packageId` (for a link to it). */
  params(packageId: string, tab: string): Readonly<Record<string, string>> {
    return this.get(packageId, tab).params;
  }

  /** Remembers the tab's filters (the query parameters away from their defaults). */
  saveParams(packageId: string, tab: string, params: Readonly<Record<string, string>>): void {
    this.update(packageId, tab, (saved) => ({ ...saved, params: { ...params } }));
  }

  saveScroll(packageId: string, tab: string, scrollTop: number): void {
    this.update(packageId, tab, (saved) => ({ ...saved, scrollTop: Math.max(0, scrollTop) }));
  }

  /** Notes that `tab` ('' for the overview) is the one open in `packageId`. */
  visit(packageId: string, tab: string): void {
    if (this.lastTabs().get(packageId) === tab) return;
    this.lastTabs.update((tabs) => new Map(tabs).set(packageId, tab));
  }

  /** The tab last open in `packageId` ('' — the overview — when none). */
  lastTab(packageId: string): string {
    return this.lastTabs().get(packageId) ?? '';
  }

  private update(packageId: string, tab: string, change: (saved: SavedTab) => SavedTab): void {
    const key = keyOf(packageId, tab);
    this.tabs.update((tabs) => new Map(tabs).set(key, change(tabs.get(key) ?? EMPTY)));
  }
}

function keyOf(packageId: string, tab: string): string {
  return `${packageId}/${tab}`;
}
