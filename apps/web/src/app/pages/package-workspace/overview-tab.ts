import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import { type AssetDto, type ContainerContentsDto } from '@integrixs/api-client';
import { ASSET_STATUSES, ASSET_TYPES } from '@integrixs/domain';

import { abortable, type ApiFailure } from '../../api/api-result';
import { assetLink } from '../../api/dependencies-api.service';
import { PackagesApi } from '../../api/packages-api.service';
import { isPackageChange, liveChanges } from '../../live/live-events.service';
import { AssetCounts } from '../../ui/asset-counts';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { AssetTypeLabel } from '../../ui/asset-type-label';
import { DataList, type ListColumn } from '../../ui/data-list/data-list';
import { DataListCell } from '../../ui/data-list/data-list-cell';
import { ProblemMessage } from '../../ui/problem-message';
import { OverviewFlows } from './overview-flows';
import { PackageWorkspace } from './package-workspace';

/** The first tab: the package's container contents (counts, readiness, last modified assets). */
@Component({
  selector: 'ix-overview-tab',
  imports: [
    DatePipe,
    MatButtonModule,
    AssetCounts,
    AssetStatusBadge,
    AssetTypeLabel,
    DataList,
    DataListCell,
    OverviewFlows,
    ProblemMessage,
    RouterLink,
  ],
  templateUrl: './overview-tab.html',
  styles: `
    .readiness {
      margin: 0.75rem 0 0;
      color: var(--ix-muted);
    }
    .matrix {
      width: auto;
      min-width: min(24rem, 100%);
      margin-top: 1rem;
    }
    .matrix td,
    .matrix thead th + th {
      font-variant-numeric: tabular-nums;
      text-align: right;
    }
    caption {
      padding-bottom: 0.5rem;
      color: var(--ix-muted);
      text-align: left;
    }
    .ix-state {
      margin-top: 1rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewTab {
  private readonly api = inject(PackagesApi);
  private readonly workspace = inject(PackageWorkspace);

  readonly contents = signal<ContainerContentsDto | null>(null);
  readonly failure = signal<ApiFailure | null>(null);

  readonly assetTypes = ASSET_TYPES;
  /** Statuses that occur in the package, in lifecycle order (the columns of the matrix). */
  readonly statuses = computed(() => {
    // From byTypeAndStatus: `byStatus` is documented as a free-form object, not number values.
    const cells = this.contents()?.byTypeAndStatus ?? [];
    return ASSET_STATUSES.filter((status) =>
      cells.some((cell) => cell.status === status && cell.count > 0),
    );
  });
  /** `count(type, status)` from `byTypeAndStatus`, keyed `TYPE/STATUS`. */
  private readonly matrix = computed(() => {
    const cells = new Map<string, number>();
    for (const cell of this.contents()?.byTypeAndStatus ?? []) {
      cells.set(`${cell.type}/${cell.status}`, cell.count);
    }
    return cells;
  });

  readonly recentColumns: ListColumn<AssetDto>[] = [
    { key: 'name', header: 'Name', value: (asset) => asset.name, rowHeader: true },
    { key: 'type', header: 'Type' },
    { key: 'status', header: 'Status' },
    { key: 'version', header: 'Version', value: (asset) => asset.currentVersion, numeric: true },
    { key: 'updated', header: 'Modified' },
  ];

  private readonly retries = new Subject<void>();

  constructor() {
    const id = this.workspace.id;
    merge(
      toObservable(id),
      this.retries.pipe(map(() => id())),
      // Another user's changes (live events): the counts and recent assets again.
      liveChanges(id, isPackageChange).pipe(map(() => id())),
    )
      .pipe(
        tap(() => this.failure.set(null)),
        switchMap((packageId) =>
          abortable((signal) => this.api.containerContents(packageId, signal)),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        if (result.ok) this.contents.set(result.data);
        else this.failure.set(result.failure);
      });
  }

  /** The asset's page. */
  link(asset: AssetDto): string[] {
    return assetLink(asset);
  }

  count(type: string, status: string): number {
    return this.matrix().get(`${type}/${status}`) ?? 0;
  }

  retry(): void {
    this.retries.next();
  }
}
