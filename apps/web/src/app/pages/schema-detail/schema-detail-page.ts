import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import {
  type PackageDto,
  type SchemaDetailDto,
  type SchemaFieldDto,
  type SchemaStructureDto,
  type SchemaVersionPageDto,
} from '@integrixs/api-client';

import { abortable, type ApiFailure, type ApiResult } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { bundleOf, SchemasApi } from '../../api/schemas-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { ProblemMessage } from '../../ui/problem-message';
import { PayloadValidator } from './payload-validator';
import { SchemaFieldTree } from './schema-field-tree';

type Phase = 'loading' | 'loaded' | 'not-found' | 'failed';

interface Loaded {
  readonly pkg: PackageDto;
  readonly schema: SchemaDetailDto;
  /** The history and the tree load with the schema but may fail on their own. */
  readonly versions: ApiResult<SchemaVersionPageDto>;
  readonly structure: ApiResult<SchemaStructureDto>;
}

/**
 * One schema of a package: what it is (type, target namespace, version, the files of its bundle),
 * its version history, its field tree, and a panel to validate a payload against it.
 */
@Component({
  selector: 'ix-schema-detail-page',
  imports: [
    RouterLink,
    DatePipe,
    AssetStatusBadge,
    ProblemMessage,
    PayloadValidator,
    SchemaFieldTree,
  ],
  templateUrl: './schema-detail-page.html',
  styleUrl: './schema-detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchemaDetailPage {
  private readonly packagesApi = inject(PackagesApi);
  private readonly api = inject(SchemasApi);

  /** The `:id` route parameter (the package). */
  readonly id = input.required<string>();
  /** The `:schemaId` route parameter. */
  readonly schemaId = input.required<string>();

  readonly phase = signal<Phase>('loading');
  readonly failure = signal<ApiFailure | null>(null);
  readonly loaded = signal<Loaded | null>(null);

  readonly bundle = computed(() => {
    const schema = this.loaded()?.schema;
    return schema ? bundleOf(schema) : null;
  });
  /** The entry file: `main`, or the only file of a one-file bundle. */
  readonly mainFile = computed(() => {
    const bundle = this.bundle();
    return bundle?.main ?? (bundle?.files.length === 1 ? bundle.files[0]?.path : undefined);
  });
  /** What `?root=` may name: the XSD's root elements, or the WSDL's messages (`op/input`). */
  readonly roots = computed(() => {
    const structure = this.loaded()?.structure;
    if (!structure?.ok) return [];
    const { type, roots } = structure.data;
    if (type === 'XSD') return roots.map((root) => root.name);
    if (type === 'WSDL') return roots.flatMap((operation) => messagesOf(operation));
    return [];
  });

  private readonly retries = new Subject<void>();

  constructor() {
    const ids = computed(() => ({ id: this.id(), schemaId: this.schemaId() }));
    merge(toObservable(ids), this.retries.pipe(map(() => ids())))
      .pipe(
        tap(() => {
          this.phase.set('loading');
          this.failure.set(null);
        }),
        switchMap(({ id, schemaId }) => abortable((signal) => this.load(id, schemaId, signal))),
        takeUntilDestroyed(),
      )
      .subscribe((outcome) => {
        if ('failure' in outcome) {
          // A malformed id (400) names no schema either: both are "not found" to a reader.
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

  private async load(
    id: string,
    schemaId: string,
    signal: AbortSignal,
  ): Promise<Loaded | { failure: ApiFailure }> {
    const [pkg, schema, versions, structure] = await Promise.all([
      this.packagesApi.get(id, signal),
      this.api.get(id, schemaId, signal),
      this.api.versions(id, schemaId, signal),
      this.api.structure(id, schemaId, signal),
    ]);
    if (!pkg.ok) return { failure: pkg.failure };
    if (!schema.ok) return { failure: schema.failure };
    return { pkg: pkg.data, schema: schema.data, versions, structure };
  }
}

/** A WSDL operation's messages as `?root=` names them: `op/input`, `op/output`, `op/fault/name`. */
function messagesOf(operation: SchemaFieldDto): string[] {
  return (operation.children ?? [])
    .filter((child) => child.kind === 'message')
    .map((child) => `${operation.name}/${child.name.replace(/^fault:/, 'fault/')}`);
}
