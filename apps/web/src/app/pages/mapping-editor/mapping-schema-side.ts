import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { switchMap, tap } from 'rxjs';

import {
  type AssetSearchResultDto,
  type SchemaFieldDto,
  type SchemaStructureDto,
  type SchemaVersionDto,
} from '@integrixs/api-client';

import { abortable, type ApiFailure } from '../../api/api-result';
import { MappingsApi } from '../../api/mappings-api.service';
import { ProblemMessage } from '../../ui/problem-message';
import {
  SchemaFieldTree,
  type FieldDrop,
  type FieldMark,
} from '../../ui/schema-field-tree/schema-field-tree';
import { fieldChain } from './mapping-rules';

/** The schema (and root, and pinned version) one side of a mapping reads or writes. */
export interface SideChoice {
  readonly schemaId: string | null;
  readonly root: string | null;
  /** A pinned version of the schema, or null to follow its latest. */
  readonly version?: number | null;
}

/**
 * One side of the mapping editor: which schema (any the user can read), which of its versions
 * (pinned, or "latest") and, for an XSD, which root element (for a WSDL, which message); then
 * that root's field tree, whose fields can be picked (and, on the source side, dragged onto the
 * target tree). Fields the structure cut short load on demand.
 */
@Component({
  selector: 'ix-mapping-schema-side',
  imports: [MatButtonModule, ProblemMessage, SchemaFieldTree],
  template: `
    <div class="choice">
      <label [for]="side() + '-schema'"
        >{{ side() === 'source' ? 'Source' : 'Target' }} schema</label
      >
      <select
        [id]="side() + '-schema'"
        [disabled]="!editable()"
        (change)="chooseSchema($any($event.target).value)"
      >
        <option value="">Choose a schema…</option>
        @for (schema of schemas(); track schema.id) {
          <option [value]="schema.id" [selected]="schema.id === choice().schemaId">
            {{ schema.name }} ({{ schema.packageName }})
          </option>
        }
      </select>
      @if (choice().schemaId) {
        <label [for]="side() + '-version'">Version</label>
        <select
          [id]="side() + '-version'"
          [disabled]="!editable()"
          (change)="chooseVersion($any($event.target).value)"
        >
          <option value="" [selected]="!choice().version">Latest (follows new versions)</option>
          @for (v of versions(); track v.version) {
            <option [value]="v.version" [selected]="v.version === choice().version">
              Version {{ v.version }}{{ v.message ? ' — ' + v.message : '' }}
            </option>
          }
        </select>
      }
      @if (rootNames().length > 1) {
        <label [for]="side() + '-root'">{{
          structure()?.type === 'WSDL' ? 'Message' : 'Root element'
        }}</label>
        <select
          [id]="side() + '-root'"
          [disabled]="!editable()"
          (change)="chooseRoot($any($event.target).value)"
        >
          @for (name of rootNames(); track name) {
            <option [value]="name" [selected]="name === shownRoot()?.name">{{ name }}</option>
          }
        </select>
      }
    </div>
    @if (loading()) {
      <div class="ix-state" aria-busy="true" role="status"><p>Loading fields…</p></div>
    } @else if (failure(); as failure) {
      <ix-problem-message [failure]="failure">
        The fields could not be loaded.
        <button actions matButton="outlined" type="button" (click)="reload()">Try again</button>
      </ix-problem-message>
    } @else if (shownRoot(); as root) {
      <ix-schema-field-tree
        [fields]="[root]"
        [pickable]="true"
        [selected]="selected()"
        [marks]="marks()"
        [dragSource]="side() === 'source' && editable()"
        [dropTarget]="side() === 'target' && editable()"
        [expanding]="expanding()"
        (picked)="pick($event)"
        (expandRequested)="expand($event)"
        (dropped)="dropped.emit($event)"
      />
    } @else if (choice().schemaId) {
      <div class="ix-state"><p>This schema declares no root elements.</p></div>
    } @else {
      <div class="ix-state"><p>Choose a schema to see its fields.</p></div>
    }
  `,
  styles: `
    .choice {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr);
      align-items: center;
      gap: 0.5rem 0.75rem;
      margin-bottom: 0.75rem;
    }
    select {
      min-width: 0;
      padding: 0.375rem 0.5rem;
      border: 1px solid var(--ix-border);
      border-radius: var(--ix-radius);
      background: var(--ix-surface);
      color: var(--ix-text);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingSchemaSide {
  private readonly api = inject(MappingsApi);

  readonly side = input.required<'source' | 'target'>();
  readonly schemas = input.required<readonly AssetSearchResultDto[]>();
  readonly choice = input.required<SideChoice>();
  readonly editable = input(true);
  readonly selected = input<string | null>(null);
  readonly marks = input<ReadonlyMap<string, FieldMark>>(new Map());

  readonly choiceChange = output<SideChoice>();
  /** A picked field, with the fields above it (root first). */
  readonly picked = output<SchemaFieldDto[]>();
  readonly dropped = output<FieldDrop>();

  readonly loading = signal(false);
  readonly failure = signal<ApiFailure | null>(null);
  readonly structure = signal<SchemaStructureDto | null>(null);
  /** The chosen schema's versions, newest first (to pin one). */
  readonly versions = signal<readonly SchemaVersionDto[]>([]);
  readonly expanding = signal<ReadonlySet<string>>(new Set());
  private readonly reloads = signal(0);

  /** XSD roots and WSDL messages can be chosen; JSON Schema has one document root. */
  readonly rootNames = computed(() => {
    const structure = this.structure();
    return structure && structure.type !== 'JSON_SCHEMA'
      ? structure.roots.map((root) => root.name)
      : [];
  });
  readonly shownRoot = computed(() => {
    const roots = this.structure()?.roots ?? [];
    const wanted = this.choice().root;
    return roots.find((root) => root.name === wanted) ?? roots.at(0) ?? null;
  });

  private readonly packageOf = computed(() => {
    const id = this.choice().schemaId;
    return this.schemas().find((schema) => schema.id === id)?.packageId ?? null;
  });

  constructor() {
    const wanted = computed(() => ({
      schemaId: this.choice().schemaId,
      version: this.choice().version ?? null,
      packageId: this.packageOf(),
      reload: this.reloads(),
    }));
    toObservable(wanted)
      .pipe(
        tap(() => {
          this.structure.set(null);
          this.failure.set(null);
        }),
        switchMap(({ schemaId, packageId, version }) => {
          this.loading.set(schemaId !== null && packageId !== null);
          if (!schemaId || !packageId) return [null];
          const query = version === null ? {} : { version };
          return abortable((signal) => this.api.structure(packageId, schemaId, query, signal));
        }),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        this.loading.set(false);
        if (!result) return;
        if (result.ok) this.structure.set(result.data);
        else this.failure.set(result.failure);
      });
    this.watchVersions();
  }

  /** Versions of the schema the side reads (a pin may pick any). */
  private watchVersions(): void {
    const schema = computed(() => ({
      schemaId: this.choice().schemaId,
      packageId: this.packageOf(),
    }));
    toObservable(schema)
      .pipe(
        tap(() => this.versions.set([])),
        switchMap(({ schemaId, packageId }) =>
          schemaId && packageId
            ? abortable((signal) => this.api.schemaVersions(packageId, schemaId, signal))
            : [null],
        ),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        if (result?.ok) this.versions.set(result.data.items);
      });
  }

  /** What payloads of this schema are written in. */
  readonly payloadLanguage = computed(() =>
    this.structure()?.type === 'JSON_SCHEMA' ? ('json' as const) : ('xml' as const),
  );

  /** The field at `path` and the fields above it, in the tree as loaded so far. */
  chainOf(path: string): SchemaFieldDto[] | null {
    const root = this.shownRoot();
    return root && fieldChain([root], path);
  }

  reload(): void {
    this.reloads.update((n) => n + 1);
  }

  chooseSchema(schemaId: string): void {
    this.choiceChange.emit({ schemaId: schemaId || null, root: null, version: null });
  }

  /** `''` follows the latest version; a number pins that version. */
  chooseVersion(version: string): void {
    this.choiceChange.emit({ ...this.choice(), version: version === '' ? null : Number(version) });
  }

  chooseRoot(root: string): void {
    this.choiceChange.emit({ ...this.choice(), root });
  }

  /** Picks a field; one the structure cut short is loaded first (its children decide its rule). */
  async pick(field: SchemaFieldDto): Promise<void> {
    if (field.truncated && !field.children?.length) await this.expand(field);
    const root = this.shownRoot();
    const chain = root && fieldChain([root], field.path);
    if (chain) this.picked.emit(chain);
  }

  /** Loads the subtree of a field the tree cut short and puts it in place. */
  async expand(field: SchemaFieldDto): Promise<void> {
    const schemaId = this.choice().schemaId;
    const packageId = this.packageOf();
    const root = this.shownRoot();
    if (!schemaId || !packageId || !root || this.expanding().has(field.path)) return;
    this.expanding.update((paths) => new Set(paths).add(field.path));
    const version = this.choice().version ?? null;
    const result = await this.api.structure(packageId, schemaId, {
      ...(this.rootNames().length > 0 ? { root: root.name } : {}),
      ...(version === null ? {} : { version }),
      path: field.path,
    });
    this.expanding.update((paths) => {
      const next = new Set(paths);
      next.delete(field.path);
      return next;
    });
    const expanded = result.ok ? result.data.roots[0] : undefined;
    if (!expanded) return;
    this.structure.update(
      (structure) =>
        structure && { ...structure, roots: structure.roots.map((r) => replaced(r, expanded)) },
    );
  }
}

/** The tree with the field at `field.path` replaced by `field`. */
function replaced(tree: SchemaFieldDto, field: SchemaFieldDto): SchemaFieldDto {
  if (tree.path === field.path) return field;
  if (!tree.children || !field.path.startsWith(tree.path)) return tree;
  return { ...tree, children: tree.children.map((child) => replaced(child, field)) };
}
