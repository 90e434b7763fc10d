import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { Router, RouterLink } from '@angular/router';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import {
  type AdapterDetailDto,
  type AssetDto,
  type EnvironmentDto,
  type PackageDetailDto,
} from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { abortable, type ApiFailure } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { SchemasApi } from '../../api/schemas-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { Breadcrumbs, type Crumb } from '../../ui/breadcrumbs';
import { Notifier } from '../../ui/notifier';
import { ProblemMessage } from '../../ui/problem-message';
import { AdapterEnvironmentPanel } from './adapter-environment-panel';
import { AdapterForm } from './adapter-form';

type Phase = 'loading' | 'loaded' | 'not-found' | 'failed';

interface Loaded {
  readonly pkg: PackageDetailDto;
  /** null on `/adapters/new`. */
  readonly adapter: AdapterDetailDto | null;
  readonly environments: EnvironmentDto[];
  readonly schemas: AssetDto[];
}

/**
 * One adapter of a package (`/packages/:id/adapters/:adapterId`), or a new one
 * (`/packages/:id/adapters/new`): its form rendered from the type's JSON Schema, then per
 * environment its overlay, credentials, promotion and connection test.
 */
@Component({
  selector: 'ix-adapter-detail-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    AssetStatusBadge,
    Breadcrumbs,
    ProblemMessage,
    AdapterForm,
    AdapterEnvironmentPanel,
  ],
  templateUrl: './adapter-detail-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdapterDetailPage {
  private readonly packagesApi = inject(PackagesApi);
  private readonly schemasApi = inject(SchemasApi);
  private readonly api = inject(AdaptersApi);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);

  /** The `:id` route parameter (the package). */
  readonly id = input.required<string>();
  /** The `:adapterId` route parameter, or `new`. */
  readonly adapterId = input.required<string>();

  readonly phase = signal<Phase>('loading');
  readonly failure = signal<ApiFailure | null>(null);
  readonly loaded = signal<Loaded | null>(null);
  readonly creating = computed(() => this.adapterId() === 'new');
  readonly crumbs = computed<Crumb[]>(() => {
    const loaded = this.loaded();
    const id = this.id();
    return [
      { label: 'Packages', link: '/packages' },
      { label: loaded?.pkg.name ?? 'Package', link: ['/packages', id] },
      { label: 'Adapters', link: ['/packages', id, 'adapters'] },
      { label: this.creating() ? 'New adapter' : (loaded?.adapter?.name ?? 'Adapter') },
    ];
  });
  private readonly permissions = computed(() => this.loaded()?.pkg.yourPermissions ?? []);
  readonly canWrite = computed(() => this.permissions().includes('asset:write'));
  readonly canConfigure = computed(() => this.permissions().includes('adapter:configure'));
  readonly canSetCredentials = computed(() => this.permissions().includes('credential:reveal'));

  private readonly retries = new Subject<void>();

  constructor() {
    const ids = computed(() => ({ id: this.id(), adapterId: this.adapterId() }));
    merge(toObservable(ids), this.retries.pipe(map(() => ids())))
      .pipe(
        tap(() => {
          this.phase.set('loading');
          this.failure.set(null);
        }),
        switchMap(({ id, adapterId }) => abortable((signal) => this.load(id, adapterId, signal))),
        takeUntilDestroyed(),
      )
      .subscribe((outcome) => {
        if ('failure' in outcome) {
          const missing = outcome.failure.status === 404 || outcome.failure.status === 400;
          this.failure.set(outcome.failure);
          this.phase.set(missing ? 'not-found' : 'failed');
          return;
        }
        this.loaded.set(outcome);
        this.phase.set('loaded');
      });
  }

  retry(): void {
    this.retries.next();
  }

  onSaved(adapter: AdapterDetailDto): void {
    if (this.creating()) {
      this.notifier.done(`Adapter ${adapter.name} created.`);
      void this.router.navigate(['/packages', adapter.packageId, 'adapters', adapter.id]);
      return;
    }
    this.notifier.done(`Adapter saved (version ${adapter.currentVersion}).`);
    this.loaded.update((loaded) => (loaded ? { ...loaded, adapter } : loaded));
  }

  private async load(
    id: string,
    adapterId: string,
    signal: AbortSignal,
  ): Promise<Loaded | { failure: ApiFailure }> {
    const [pkg, adapter, environments, schemas] = await Promise.all([
      this.packagesApi.get(id, signal),
      adapterId === 'new' ? null : this.api.get(id, adapterId, signal),
      this.api.environments(signal),
      this.schemasApi.list(id, signal),
    ]);
    if (!pkg.ok) return { failure: pkg.failure };
    if (adapter && !adapter.ok) return { failure: adapter.failure };
    if (!environments.ok) return { failure: environments.failure };
    return {
      pkg: pkg.data,
      adapter: adapter?.data ?? null,
      environments: environments.data,
      schemas: schemas.ok ? schemas.data.items : [],
    };
  }
}
