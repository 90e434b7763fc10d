import { CdkDropListGroup } from '@angular/cdk/drag-drop';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { map, merge, Subject, switchMap, tap } from 'rxjs';

import {
  type AssetSearchResultDto,
  type MappingDetailDto,
  type PackageDetailDto,
} from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { mappingProblemsOf, MappingsApi } from '../../api/mappings-api.service';
import { PackagesApi } from '../../api/packages-api.service';
import { AssetStatusBadge } from '../../ui/asset-status-badge';
import { Breadcrumbs, type Crumb } from '../../ui/breadcrumbs';
import { CodeEditor } from '../../ui/code-editor/code-editor';
import { ConflictResolver, pickFields } from '../../ui/conflict-dialog';
import { ImpactView } from '../../ui/impact-view';
import { LoadState } from '../../ui/load-state';
import { Notifier } from '../../ui/notifier';
import { ProblemMessage } from '../../ui/problem-message';
import { type LoadPhase } from '../../ui/route-load';
import { type FieldDrop, type FieldMark } from '../../ui/schema-field-tree/schema-field-tree';
import { MappingDraft } from './mapping-draft';
import { MappingHistory } from './mapping-history';
import { MappingRuleList } from './mapping-rule-list';
import { MappingRunPanel } from './mapping-run-panel';
import { MappingSchemaSide } from './mapping-schema-side';
import { MappingStylesheetFiles } from './mapping-stylesheet-files';

/** The `:mappingId` of a mapping not saved yet. */
export const NEW_MAPPING = 'new';

interface Loaded {
  readonly pkg: PackageDetailDto;
  readonly schemas: readonly AssetSearchResultDto[];
  readonly mapping: MappingDetailDto | null;
}

/**
 * The mapping editor at `/packages/:id/mappings/:mappingId` (`new` for a new one): the source and
 * target schemas' field trees side by side, rules made by picking (or dragging) a source field
 * onto a target field, each rule's JSONata in a code editor with the save's errors inline, the
 * completeness of the saved mapping with missing required targets marked in the tree, and a run
 * panel for samples and ad-hoc inputs. XSLT mappings edit their stylesheet instead of rules.
 */
/** How the conflict dialog names a mapping's fields. */
const MAPPING_FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'Name',
  kind: 'Kind',
  sourceSchema: 'Source schema',
  targetSchema: 'Target schema',
  rules: 'Rules',
  documentExpression: 'Document expression',
  stylesheet: 'Stylesheet',
  files: 'Files',
};

@Component({
  selector: 'ix-mapping-editor-page',
  imports: [
    CdkDropListGroup,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    AssetStatusBadge,
    Breadcrumbs,
    CodeEditor,
    ImpactView,
    MappingHistory,
    MappingRuleList,
    MappingRunPanel,
    MappingSchemaSide,
    MappingStylesheetFiles,
    LoadState,
    ProblemMessage,
  ],
  providers: [MappingDraft],
  templateUrl: './mapping-editor-page.html',
  styleUrl: './mapping-editor-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingEditorPage {
  private readonly api = inject(MappingsApi);
  private readonly packagesApi = inject(PackagesApi);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  private readonly conflicts = inject(ConflictResolver);
  readonly draft = inject(MappingDraft);

  /** The `:id` route parameter (the package). */
  readonly id = input.required<string>();
  /** The `:mappingId` route parameter, or `new`. */
  readonly mappingId = input.required<string>();

  readonly phase = signal<LoadPhase>('loading');
  readonly failure = signal<ApiFailure | null>(null);
  readonly loaded = signal<Loaded | null>(null);
  /** The mapping as last loaded or saved (null until the first save of a new one). */
  readonly mapping = signal<MappingDetailDto | null>(null);
  readonly saving = signal(false);
  readonly saveFailure = signal<ApiFailure | null>(null);
  readonly completenessFailure = signal<ApiFailure | null>(null);

  private readonly sourceSide = viewChild<MappingSchemaSide>('sourceSide');
  private readonly targetSide = viewChild<MappingSchemaSide>('targetSide');

  readonly canWrite = computed(
    () => this.loaded()?.pkg.yourPermissions.includes('asset:write') ?? false,
  );
  readonly crumbs = computed<Crumb[]>(() => {
    const id = this.id();
    return [
      { label: 'Packages', link: '/packages' },
      { label: this.loaded()?.pkg.name ?? 'Package', link: ['/packages', id] },
      { label: 'Mappings', link: ['/packages', id, 'mappings'] },
      { label: this.mapping()?.name ?? 'New mapping' },
    ];
  });
  readonly canSave = computed(
    () =>
      this.canWrite() &&
      !this.saving() &&
      this.draft.name().trim() !== '' &&
      this.draft.source().schemaId !== null &&
      this.draft.target().schemaId !== null,
  );
  /** Payload languages: XML for XSD and WSDL schemas, JSON for JSON Schemas (by the tree's type). */
  readonly sourceLanguage = computed(() => this.sourceSide()?.payloadLanguage() ?? 'xml');
  readonly targetLanguage = computed(() => this.targetSide()?.payloadLanguage() ?? 'json');
  /** Warnings not about one rule (the rule list shows those). */
  readonly otherWarnings = computed(() =>
    this.draft.warnings().filter((warning) => !/^rules\[\d+\]/.test(warning.location)),
  );
  readonly emptyMarks: ReadonlyMap<string, FieldMark> = new Map();
  readonly pendingPath = computed(() => {
    const chain = this.draft.pending()?.chain;
    return chain?.[chain.length - 1]?.path ?? null;
  });

  private readonly retries = new Subject<void>();

  constructor() {
    const ids = computed(() => ({ id: this.id(), mappingId: this.mappingId() }));
    merge(
      toObservable(ids).pipe(map((wanted) => ({ ...wanted, force: false }))),
      this.retries.pipe(map(() => ({ ...ids(), force: true }))),
    )
      .pipe(
        // A new mapping just saved gets its own address: it is already shown, not loaded again.
        map((wanted) => ({ ...wanted, skip: !wanted.force && this.isShown(wanted) })),
        tap(({ skip }) => {
          if (!skip) this.phase.set('loading');
        }),
        switchMap(({ id, mappingId, skip }) =>
          skip ? [null] : abortable((signal) => this.load(id, mappingId, signal)),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((outcome) => {
        if (outcome === null) return;
        if ('failure' in outcome) {
          const missing = outcome.failure.status === 404 || outcome.failure.status === 400;
          this.failure.set(outcome.failure);
          this.phase.set(missing ? 'not-found' : 'failed');
          return;
        }
        this.loaded.set(outcome);
        this.mapping.set(outcome.mapping);
        if (outcome.mapping) this.draft.load(outcome.mapping);
        this.saveFailure.set(null);
        this.phase.set('loaded');
        void this.refreshCompleteness();
      });
  }

  retry(): void {
    this.retries.next();
  }

  /** A source field dropped onto a target field makes the rule at once. */
  drop(drop: FieldDrop): void {
    const source = this.sourceSide()?.chainOf(drop.source.path);
    const target = this.targetSide()?.chainOf(drop.target.path);
    if (source && target) this.draft.connect(source, target);
  }

  async save(): Promise<void> {
    const pkg = this.loaded()?.pkg;
    if (!pkg || !this.canSave()) return;
    this.saving.set(true);
    this.saveFailure.set(null);
    const mapping = this.mapping();
    const body = this.draft.body();
    let result = mapping
      ? await this.api.update(pkg.id, mapping.id, mapping.version, body)
      : await this.api.create(pkg.id, body);
    if (mapping && !result.ok && result.failure.status === 412) {
      // Someone else saved first: their version and who, then reload theirs or overwrite.
      const labels = Object.fromEntries(
        Object.keys(body).map((key) => [key, MAPPING_FIELD_LABELS[key] ?? key]),
      );
      const { choice, theirs } = await this.conflicts.resolve({
        what: `The mapping ${mapping.name}`,
        mine: pickFields(body, labels),
        loadTheirs: () => this.api.get(pkg.id, mapping.id),
        fieldsOf: (current) => pickFields(current, labels),
        describe: (current) => ({
          by: current.updatedByName ?? current.updatedBy,
          at: current.updatedAt,
          version: current.version,
        }),
      });
      if (choice === 'reload' && theirs) {
        this.saving.set(false);
        this.onReloaded(theirs);
        return;
      }
      if (choice === 'overwrite' && theirs)
        result = await this.api.update(pkg.id, mapping.id, theirs.version, body);
    }
    this.saving.set(false);
    if (!result.ok) {
      this.saveFailure.set(result.failure);
      this.draft.problems.set(mappingProblemsOf(result.failure));
      return;
    }
    this.mapping.set(result.data);
    this.draft.load(result.data);
    this.notifier.done(`Mapping saved (version ${result.data.currentVersion}).`);
    if (!mapping)
      void this.router.navigate(['/packages', pkg.id, 'mappings', result.data.id], {
        replaceUrl: true,
      });
    await this.refreshCompleteness();
  }

  /** "Reload theirs" after a conflict: the editor shows the version someone else saved. */
  private onReloaded(mapping: MappingDetailDto): void {
    this.mapping.set(mapping);
    this.draft.load(mapping);
    this.saveFailure.set(null);
    this.notifier.done(`Reloaded version ${mapping.currentVersion}, saved by someone else.`);
    void this.refreshCompleteness();
  }

  /** A rollback made an older version's content current: the editor shows it. */
  onRolledBack(mapping: MappingDetailDto): void {
    this.mapping.set(mapping);
    this.draft.load(mapping);
    this.saveFailure.set(null);
    this.notifier.done(`Rolled back: the content is now version ${mapping.currentVersion}.`);
    void this.refreshCompleteness();
  }

  private isShown({ id, mappingId }: { id: string; mappingId: string }): boolean {
    return this.mapping()?.id === mappingId && this.loaded()?.pkg.id === id;
  }

  private async refreshCompleteness(): Promise<void> {
    const mapping = this.mapping();
    this.completenessFailure.set(null);
    if (!mapping || mapping.kind !== 'JSONATA') {
      this.draft.completeness.set(null);
      return;
    }
    const result = await this.api.completeness(mapping.packageId, mapping.id);
    if (result.ok) this.draft.completeness.set(result.data);
    else this.completenessFailure.set(result.failure);
  }

  private async load(
    id: string,
    mappingId: string,
    signal: AbortSignal,
  ): Promise<Loaded | { failure: ApiFailure }> {
    const [pkg, schemas, mapping] = await Promise.all([
      this.packagesApi.get(id, signal),
      this.api.readableSchemas(signal),
      mappingId === NEW_MAPPING ? null : this.api.get(id, mappingId, signal),
    ]);
    if (!pkg.ok) return { failure: pkg.failure };
    if (mapping && !mapping.ok) return { failure: mapping.failure };
    if (!schemas.ok) return { failure: schemas.failure };
    return { pkg: pkg.data, schemas: schemas.data.items, mapping: mapping?.data ?? null };
  }
}
