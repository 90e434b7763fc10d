import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import {
  type PackageDetailDto,
  type SchemaDetailDto,
  type SchemaFieldDto,
  type SchemaStructureDto,
  type SchemaVersionPageDto,
} from '@integrixs/api-client';

import { type ApiFailure, type ApiResult } from '../../api/api-result';
import { PackagesApi } from '../../api/packages-api.service';
import { bundleOf, SchemasApi } from '../../api/schemas-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { Breadcrumbs, type Crumb } from '../../ui/breadcrumbs';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { ImpactView } from '../../ui/impact-view';
import { LoadState } from '../../ui/load-state';
import { Notifier } from '../../ui/notifier';
import { ProblemMessage } from '../../ui/problem-message';
import { routeLoad } from '../../ui/route-load';
import { SchemaFieldTree } from '../../ui/schema-field-tree/schema-field-tree';
import { VersionTable } from '../../ui/version-table';
import { PayloadValidator } from './payload-validator';
import { SchemaDiffView } from './schema-diff-view';
import { UploadVersionForm } from './upload-version-form';

interface Loaded {
  readonly pkg: PackageDetailDto;
  readonly schema: SchemaDetailDto;
  /** The history and the tree load with the schema but may fail on their own. */
  readonly versions: ApiResult<SchemaVersionPageDto>;
  readonly structure: ApiResult<SchemaStructureDto>;
}

/**
 * One schema of a package: what it is (type, target namespace, version, the files of its bundle),
 * its version history, its field tree, and a panel to validate a payload against it. An older
 * version can be compared with the current one; with `asset:write`, a new version can be uploaded
 * and an older one rolled back to.
 */
@Component({
  selector: 'ix-schema-detail-page',
  imports: [
    DatePipe,
    MatButtonModule,
    AssetStatusBadge,
    Breadcrumbs,
    ImpactView,
    LoadState,
    ProblemMessage,
    PayloadValidator,
    SchemaDiffView,
    SchemaFieldTree,
    UploadVersionForm,
    VersionTable,
  ],
  templateUrl: './schema-detail-page.html',
  styleUrl: './schema-detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchemaDetailPage {
  private readonly packagesApi = inject(PackagesApi);
  private readonly api = inject(SchemasApi);
  private readonly confirm = inject(ConfirmDialog);
  private readonly notifier = inject(Notifier);

  /** The `:id` route parameter (the package). */
  readonly id = input.required<string>();
  /** The `:schemaId` route parameter. */
  readonly schemaId = input.required<string>();

  private readonly page = routeLoad(
    computed(() => ({ id: this.id(), schemaId: this.schemaId() })),
    ({ id, schemaId }, signal) => this.load(id, schemaId, signal),
    // Another schema starts with none of the previous one's forms, notices or comparisons open.
    { onChange: () => this.closeActions() },
  );
  readonly phase = this.page.phase;
  readonly failure = this.page.failure;
  readonly loaded = this.page.loaded;
  readonly crumbs = computed<Crumb[]>(() => {
    const loaded = this.loaded();
    const id = this.id();
    return [
      { label: 'Packages', link: '/packages' },
      { label: loaded?.pkg.name ?? 'Package', link: ['/packages', id] },
      { label: 'Schemas', link: ['/packages', id, 'schemas'] },
      { label: loaded?.schema.name ?? 'Schema' },
    ];
  });

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

  /** Whether the caller may change the schema (the write actions show only then). */
  readonly canWrite = computed(
    () => this.loaded()?.pkg.yourPermissions.includes('asset:write') ?? false,
  );
  readonly uploading = signal(false);
  /** The outcome of the last upload: the new version, or none for identical content. */
  readonly uploaded = signal<{ readonly version: number; readonly changed: boolean } | null>(null);
  /** The older version compared with the current one, if any. */
  readonly compareFrom = signal<number | null>(null);
  readonly rollingBack = signal(false);
  readonly rollbackFailure = signal<ApiFailure | null>(null);

  retry(): void {
    this.page.retry();
  }

  compare(version: number | null): void {
    this.compareFrom.set(version);
  }

  onUploaded(before: SchemaDetailDto, after: SchemaDetailDto): void {
    this.uploading.set(false);
    const changed = after.currentVersion !== before.currentVersion;
    this.uploaded.set({ version: after.currentVersion, changed });
    if (changed) this.reload();
  }

  /** Asks first (a rollback makes a new version), then rolls back and says how it went. */
  rollback(schema: SchemaDetailDto, version: number): void {
    if (!this.rollingBack()) void this.rollBackTo(schema, version);
  }

  private async rollBackTo(schema: SchemaDetailDto, version: number): Promise<void> {
    const confirmed = await this.confirm.ask({
      title: 'Roll back?',
      message: `Roll back to version ${version}? Its content becomes version ${schema.currentVersion + 1}.`,
      confirm: 'Roll back',
    });
    if (!confirmed) return;
    this.rollingBack.set(true);
    this.rollbackFailure.set(null);
    this.uploaded.set(null);
    const outcome = await this.api.rollback(schema.packageId, schema.id, schema.version, version);
    this.rollingBack.set(false);
    if (!outcome.ok) {
      // Shown in place, with "Reload": most often someone else changed the schema meanwhile.
      this.rollbackFailure.set(outcome.failure);
      return;
    }
    this.notifier.done(
      `Rolled back to version ${version}: its content is now version ${outcome.data.currentVersion}.`,
    );
    this.reload();
  }

  /** Loads the schema again after a change, closing what referred to the old current version. */
  reload(): void {
    this.compareFrom.set(null);
    this.rollbackFailure.set(null);
    this.retry();
  }

  private closeActions(): void {
    this.uploading.set(false);
    this.uploaded.set(null);
    this.compareFrom.set(null);
    this.rollbackFailure.set(null);
  }

  private async load(
    id: string,
    schemaId: string,
    signal: AbortSignal,
  ): Promise<ApiResult<Loaded>> {
    const [pkg, schema, versions, structure] = await Promise.all([
      this.packagesApi.get(id, signal),
      this.api.get(id, schemaId, signal),
      this.api.versions(id, schemaId, signal),
      this.api.structure(id, schemaId, signal),
    ]);
    if (!pkg.ok) return pkg;
    if (!schema.ok) return schema;
    return { ok: true, data: { pkg: pkg.data, schema: schema.data, versions, structure } };
  }
}

/** A WSDL operation's messages as `?root=` names them: `op/input`, `op/output`, `op/fault/name`. */
function messagesOf(operation: SchemaFieldDto): string[] {
  return (operation.children ?? [])
    .filter((child) => child.kind === 'message')
    .map((child) => `${operation.name}/${child.name.replace(/^fault:/, 'fault/')}`);
}
