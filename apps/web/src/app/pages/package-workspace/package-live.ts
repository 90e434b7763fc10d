import { inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { switchMap } from 'rxjs';

import { type PackageDetailDto } from '@integrixs/api-client';

import { abortable } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { isPackageChange, liveChanges } from '../../live/live-events.service';
import { PackageWorkspace } from './package-workspace';

/** The workspace tab paths that show a count, and the asset type each counts. */
const COUNTED_TABS: Readonly<Record<string, keyof PackageDetailDto['assetCounts']>> = {
  schemas: 'SCHEMA',
  adapters: 'ADAPTER',
  mappings: 'MAPPING',
  flows: 'FLOW',
};

/** The count a tab's header shows (live assets of its type), or null for tabs without one. */
export function tabCountOf(pkg: PackageDetailDto | null, tabPath: string): number | null {
  const type = COUNTED_TABS[tabPath];
  return pkg && type ? pkg.assetCounts[type] : null;
}

/**
 * Keeps the workspace's package (its facts and the tab counts) current: when another user
 * changes the package or one of its assets, or after a resync, the package is read again quietly
 * (no loading state; a failed read keeps what is shown). Call in the workspace page's
 * constructor.
 */
export function keepPackageLive(): void {
  const workspace = inject(PackageWorkspace);
  const api = inject(PackagesApi);
  liveChanges(workspace.id, isPackageChange)
    .pipe(
      switchMap(() => abortable((signal) => api.get(workspace.id(), signal))),
      takeUntilDestroyed(),
    )
    .subscribe((result) => {
      if (result.ok && workspace.phase() === 'loaded' && result.data.id === workspace.id())
        workspace.pkg.set(result.data);
    });
}
