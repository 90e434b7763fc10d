import { inject, Injectable, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute } from '@angular/router';
import { map } from 'rxjs';

import { type PackageDetailDto } from '@integrixs/api-client';

import { type ApiFailure } from '../../api/api-result';

export type WorkspacePhase = 'loading' | 'loaded' | 'not-found' | 'failed';

/**
 * The package the workspace shows, shared with its tabs: its id (from the route, at once), and
 * the package itself once the workspace page has loaded it. A tab starts loading its own content
 * from the id alone, at the same time as the package loads. Provided by the workspace page.
 */
@Injectable()
export class PackageWorkspace {
  readonly phase = signal<WorkspacePhase>('loading');
  readonly failure = signal<ApiFailure | null>(null);
  readonly pkg = signal<PackageDetailDto | null>(null);

  /** The `:id` route parameter. */
  readonly id = toSignal(
    inject(ActivatedRoute).paramMap.pipe(map((params) => params.get('id') ?? '')),
    { requireSync: true },
  );
  /**
   * Whether the caller holds `permission` in this package (write actions show only then); false
   * until the package has loaded.
   */
  may(permission: PackageDetailDto['yourPermissions'][number]): boolean {
    return this.pkg()?.yourPermissions.includes(permission) ?? false;
  }
}
