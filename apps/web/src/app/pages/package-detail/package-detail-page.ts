import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import {
  type AssetPageDto,
  type ContainerContentsDto,
  type PackageDetailDto,
} from '@integrixs/api-client';
import { ASSET_STATUSES, ASSET_TYPES } from '@integrixs/domain';

import { abortable, type ApiFailure } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { SchemasApi } from '../../api/schemas-api.service';
import { AssetCounts } from '../../ui/asset-counts';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { AssetTypeLabel } from '../../ui/asset-type-label';
import { ProblemMessage } from '../../ui/problem-message';
import { AddSchemaForm } from './add-schema-form';

type Phase = 'loading' | 'loaded' | 'not-found' | 'failed';

interface Loaded {
  readonly pkg: PackageDetailDto;
  readonly contents: ContainerContentsDto;
  readonly schemas: AssetPageDto;
}

/**
 * One package: its metadata, its container contents (counts, last modified assets) and its
 * schemas, each linking to its schema page; "Add schema" for those who may write.
 */
@Component({
  selector: 'ix-package-detail-page',
  imports: [
    RouterLink,
    DatePipe,
    AddSchemaForm,
    AssetCounts,
    AssetStatusBadge,
    AssetTypeLabel,
    ProblemMessage,
  ],
  templateUrl: './package-detail-page.html',
  styleUrl: './package-detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PackageDetailPage {
  private readonly api = inject(PackagesApi);
  private readonly schemasApi = inject(SchemasApi);

  /** The `:id` route parameter. */
  readonly id = input.required<string>();

  readonly phase = signal<Phase>('loading');
  readonly failure = signal<ApiFailure | null>(null);
  readonly pkg = signal<PackageDetailDto | null>(null);
  /** Whether the caller may add and change assets here (the write actions show only then). */
  readonly canWrite = computed(() => this.pkg()?.yourPermissions.includes('asset:write') ?? false);
  readonly adding = signal(false);
  readonly contents = signal<ContainerContentsDto | null>(null);
  readonly schemas = signal<AssetPageDto | null>(null);

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

  private readonly retries = new Subject<void>();

  constructor() {
    merge(toObservable(this.id), this.retries.pipe(map(() => this.id())))
      .pipe(
        tap(() => {
          this.phase.set('loading');
          this.failure.set(null);
        }),
        switchMap((id) => abortable((signal) => this.load(id, signal))),
        takeUntilDestroyed(),
      )
      .subscribe((outcome) => {
        if ('failure' in outcome) {
          // A malformed id (400) names no package either: both are "not found" to a reader.
          const missing = outcome.failure.status === 404 || outcome.failure.status === 400;
          this.failure.set(outcome.failure);
          this.phase.set(missing ? 'not-found' : 'failed');
          return;
        }
        this.pkg.set(outcome.pkg);
        this.contents.set(outcome.contents);
        this.schemas.set(outcome.schemas);
        this.phase.set('loaded');
      });
  }

  count(type: string, status: string): number {
    return this.matrix().get(`${type}/${status}`) ?? 0;
  }

  retry(): void {
    this.retries.next();
  }

  private async load(id: string, signal: AbortSignal): Promise<Loaded | { failure: ApiFailure }> {
    const [pkg, contents, schemas] = await Promise.all([
      this.api.get(id, signal),
      this.api.containerContents(id, signal),
      this.schemasApi.list(id, signal),
    ]);
    if (!pkg.ok) return { failure: pkg.failure };
    if (!contents.ok) return { failure: contents.failure };
    if (!schemas.ok) return { failure: schemas.failure };
    return { pkg: pkg.data, contents: contents.data, schemas: schemas.data };
  }
}
