import { inject, signal, untracked, type Signal, type WritableSignal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { exhaustMap } from 'rxjs';

import { type FlowDetailDto } from '@integrixs/api-client';

import { FlowsApi } from '../../api/flows-api.service';
import { isAssetOf, liveChanges } from '../../live/live-events.service';
import { type DesignerLoad } from './designer-load';

/** What the watch reads of the designer page. */
export interface DesignerView {
  /** The package. */
  readonly id: Signal<string>;
  /** The flow as the designer last loaded or saved it (null while new). */
  readonly flow: Signal<FlowDetailDto | null>;
  /** The draft differs from `flow`. */
  readonly dirty: Signal<boolean>;
  /** A save is under way: its answer (or its 412) decides. */
  readonly saving: Signal<boolean>;
  /** What the page loaded: a flow set here replaces the (clean) draft. */
  readonly loaded: WritableSignal<DesignerLoad | null>;
}

/**
 * Notices when the flow being designed is saved (or moved) by someone else, from the live events
 * of its package: a clean draft silently takes the new version (as a new load); a dirty one keeps the
 * user's work and the returned signal holds the other version, for a non-blocking notice (saving
 * then meets the 412 conflict dialog). Our own saves are not "elsewhere": their version is the
 * one the designer already holds. Call in an injection context.
 */
export function watchRemoteSaves(page: DesignerView): WritableSignal<FlowDetailDto | null> {
  const flows = inject(FlowsApi);
  const changed = signal<FlowDetailDto | null>(null);
  const newer = (version: number | undefined) => (version ?? 0) > (page.flow()?.version ?? 0);

  async function check(): Promise<void> {
    const current = untracked(page.flow);
    if (!current || untracked(page.saving)) return;
    const result = await flows.get(page.id(), current.id);
    const latest = untracked(page.flow);
    if (!result.ok || latest?.id !== result.data.id || !newer(result.data.version)) return;
    if (untracked(page.saving)) return;
    if (untracked(page.dirty)) changed.set(result.data);
    else page.loaded.update((loaded) => loaded && { ...loaded, flow: result.data });
  }

  liveChanges(
    page.id,
    (m) => isAssetOf('FLOW')(m) && m.assetId === page.flow()?.id && newer(m.version),
  )
    .pipe(
      exhaustMap(() => check()),
      takeUntilDestroyed(),
    )
    .subscribe();
  return changed;
}
