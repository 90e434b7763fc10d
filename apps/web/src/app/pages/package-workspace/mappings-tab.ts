import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { type AssetDto, type MappingDetailDto } from '@integrixs/api-client';

import { type ApiResult } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { loadedList } from '../../ui/paged-list';
import { PackageWorkspace } from './package-workspace';

/** Mappings whose kind and schemas the list loads (one request each); later rows show the name. */
const DETAILED = 50;

/** A row: the mapping as an asset, with its kind and schemas when they were loaded. */
interface MappingRow extends AssetDto {
  readonly kind: string;
  readonly schemas: string;
}

/**
 * The package's mappings (kind, source → target schema, status), each linking to its editor;
 * "New mapping" for those who may write assets.
 */
@Component({
  selector: 'ix-mappings-tab',
  imports: [RouterLink, MatButtonModule, AssetStatusBadge, DataList, DataListCell],
  template: `
    <section class="ix-card" aria-labelledby="mappings-heading">
      <div class="ix-section-head">
        <h2 id="mappings-heading">Mappings</h2>
        @if (canWrite()) {
          <a matButton="outlined" [routerLink]="['/packages', packageId(), 'mappings', 'new']">
            New mapping
          </a>
        }
      </div>
      <ix-data-list
        label="The package's mappings"
        [columns]="columns"
        [rows]="list.rows()"
        [loading]="list.loading()"
        [failure]="list.failure()"
        [pageSize]="25"
        [initialSort]="{ active: 'name', direction: 'asc' }"
        (retry)="list.retry()"
      >
        <ng-template ixCell="name" [ixCellOf]="list.rows()" let-mapping>
          <a [routerLink]="['/packages', packageId(), 'mappings', mapping.id]">{{
            mapping.name
          }}</a>
        </ng-template>
        <ng-template ixCell="status" [ixCellOf]="list.rows()" let-mapping>
          <ix-asset-status-badge [status]="mapping.status" />
        </ng-template>
        <p empty>This package holds no mappings yet.</p>
        <ng-container failed>The mappings could not be loaded.</ng-container>
      </ix-data-list>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingsTab {
  private readonly api = inject(MappingsApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly packageId = this.workspace.id;
  readonly canWrite = computed(() => this.workspace.may('asset:write'));
  readonly list = loadedList(this.packageId, (packageId, signal) => this.load(packageId, signal));

  readonly columns: ListColumn<MappingRow>[] = [
    { key: 'name', header: 'Name', value: (m) => m.name, sortable: true, rowHeader: true },
    { key: 'kind', header: 'Kind', value: (m) => m.kind, sortable: true },
    { key: 'schemas', header: 'Source → target', value: (m) => m.schemas },
    { key: 'status', header: 'Status', value: (m) => m.status, sortable: true },
    { key: 'version', header: 'Version', value: (m) => m.currentVersion, numeric: true },
  ];

  /** The list, then the kind and schemas of the first `DETAILED` mappings (their names too). */
  private async load(packageId: string, signal: AbortSignal): Promise<ApiResult<MappingRow[]>> {
    const [list, schemas] = await Promise.all([
      this.api.list(packageId, signal),
      this.api.readableSchemas(signal),
    ]);
    if (!list.ok) return list;
    const names = new Map(schemas.ok ? schemas.data.items.map((s) => [s.id, s.name]) : []);
    const details = await Promise.all(
      list.data.items
        .slice(0, DETAILED)
        .map((mapping) => this.api.get(packageId, mapping.id, signal)),
    );
    const byId = new Map<string, MappingDetailDto>();
    for (const detail of details) if (detail.ok) byId.set(detail.data.id, detail.data);
    const nameOf = (id: string) => names.get(id) ?? (schemas.ok ? 'a schema you cannot read' : '—');
    return {
      ok: true,
      data: list.data.items.map((mapping) => {
        const detail = byId.get(mapping.id);
        return {
          ...mapping,
          kind: detail ? (detail.kind === 'JSONATA' ? 'JSONata' : 'XSLT') : '—',
          schemas: detail
            ? `${nameOf(detail.sourceSchema.assetId)} → ${nameOf(detail.targetSchema.assetId)}`
            : '—',
        };
      }),
    };
  }
}
