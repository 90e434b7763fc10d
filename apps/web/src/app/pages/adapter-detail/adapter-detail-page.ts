import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { Router } from '@angular/router';

import {
  type AdapterDetailDto,
  type AssetDto,
  type AssetSearchResultDto,
  type EnvironmentDto,
  type PackageDetailDto,
} from '@integrixs/api-client';

import { AdaptersApi } from '../../api/adapters-api.service';
import { type ApiResult } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { SchemasApi } from '../../api/schemas-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { Breadcrumbs, type Crumb } from '../../ui/breadcrumbs';
import { ImpactView } from '../../ui/impact-view';
import { LoadState } from '../../ui/load-state';
import { Notifier } from '../../ui/notifier';
import { routeLoad } from '../../ui/route-load';
import { AdapterEnvironmentPanel } from './adapter-environment-panel';
import { AdapterForm } from './adapter-form';

interface Loaded {
  readonly pkg: PackageDetailDto;
  /** null on `/adapters/new`. */
  readonly adapter: AdapterDetailDto | null;
  readonly environments: EnvironmentDto[];
  readonly schemas: AssetDto[];
  /** The readable WSDL schemas of every package (a SOAP adapter's WSDL). */
  readonly wsdls: AssetSearchResultDto[];
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
    AssetStatusBadge,
    Breadcrumbs,
    ImpactView,
    LoadState,
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

  private readonly page = routeLoad(
    computed(() => ({ id: this.id(), adapterId: this.adapterId() })),
    ({ id, adapterId }, signal) => this.load(id, adapterId, signal),
  );
  readonly phase = this.page.phase;
  readonly failure = this.page.failure;
  readonly loaded = this.page.loaded;
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

  retry(): void {
    this.page.retry();
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

  /** "Reload theirs" after a conflict: the form shows the version saved by someone else. */
  onReloaded(adapter: AdapterDetailDto): void {
    this.loaded.update((loaded) => (loaded ? { ...loaded, adapter } : loaded));
  }

  private async load(
    id: string,
    adapterId: string,
    signal: AbortSignal,
  ): Promise<ApiResult<Loaded>> {
    const [pkg, adapter, environments, schemas, wsdls] = await Promise.all([
      this.packagesApi.get(id, signal),
      adapterId === 'new' ? null : this.api.get(id, adapterId, signal),
      this.api.environments(signal),
      this.schemasApi.list(id, signal),
      this.schemasApi.readableWsdls(signal),
    ]);
    if (!pkg.ok) return pkg;
    if (adapter && !adapter.ok) return adapter;
    if (!environments.ok) return environments;
    return {
      ok: true,
      data: {
        pkg: pkg.data,
        adapter: adapter?.data ?? null,
        environments: environments.data,
        schemas: schemas.ok ? schemas.data.items : [],
        wsdls: wsdls.ok ? wsdls.data : [],
      },
    };
  }
}
