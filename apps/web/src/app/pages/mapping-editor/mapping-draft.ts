import { computed, Injectable, signal } from '@angular/core';

import {
  type CreateMappingDto,
  type MappingCompletenessDto,
  type MappingDetailDto,
  type MappingFileDto,
  type MappingProblemDto,
  type MappingRuleDto,
  type SchemaFieldDto,
} from '@integrixs/api-client';

import { rootOf, schemaRef } from '../../api/mappings-api.service';
import { type CodeDiagnostic } from '../../ui/code-editor/code-editor';
import {
  diagnosticOf,
  lineDiagnosticOf,
  ruleIndexOf,
  sourceExpression,
  targetMarks,
  targetPath,
  withRule,
} from './mapping-rules';
import { type SideChoice } from './mapping-schema-side';

export type MappingKind = CreateMappingDto['kind'];

/** A field picked in one tree, waiting for its partner in the other. */
export interface PickedField {
  readonly side: 'source' | 'target';
  readonly chain: readonly SchemaFieldDto[];
}

const NO_CHOICE: SideChoice = { schemaId: null, root: null, version: null };

/**
 * The mapping being edited, as the editor page and its parts share it: the fields a save sends,
 * the pick in progress, and what the last save or completeness check said about it. Provided by
 * the editor page.
 */
@Injectable()
export class MappingDraft {
  readonly name = signal('');
  readonly kind = signal<MappingKind>('JSONATA');
  readonly source = signal<SideChoice>(NO_CHOICE);
  readonly target = signal<SideChoice>(NO_CHOICE);
  readonly rules = signal<readonly MappingRuleDto[]>([]);
  readonly documentExpression = signal('');
  readonly stylesheet = signal('');
  /** An XSLT bundle's included/imported files, besides the main stylesheet. */
  readonly files = signal<readonly MappingFileDto[]>([]);

  /** The field picked first; the next pick in the other tree makes a rule. */
  readonly pending = signal<PickedField | null>(null);
  /** The rule the last pick made or changed (its editor takes the focus). */
  readonly lastRule = signal<number | null>(null);

  /** Located problems of the last refused save, and the warnings of the last saved version. */
  readonly problems = signal<readonly MappingProblemDto[]>([]);
  readonly warnings = signal<readonly MappingProblemDto[]>([]);
  readonly completeness = signal<MappingCompletenessDto | null>(null);

  readonly marks = computed(() => targetMarks(this.rules(), this.completeness()));
  readonly ruleDiagnostics = computed(() => {
    const byRule = new Map<number, CodeDiagnostic[]>();
    const rules = this.rules();
    for (const problem of this.problems()) {
      const index = ruleIndexOf(problem.location);
      const rule = index === null ? undefined : rules[index];
      if (index === null || !rule) continue;
      byRule.set(index, [...(byRule.get(index) ?? []), diagnosticOf(problem, rule.expression)]);
    }
    return byRule;
  });
  readonly documentDiagnostics = computed(() =>
    this.problems()
      .filter((problem) => problem.location === 'document')
      .map((problem) => diagnosticOf(problem, this.documentExpression())),
  );
  readonly stylesheetDiagnostics = computed(() => this.fileDiagnostics('stylesheet'));

  /** Takes the content of a loaded or saved mapping. */
  load(mapping: MappingDetailDto): void {
    this.name.set(mapping.name);
    this.kind.set(mapping.kind);
    this.source.set(choiceOf(mapping.sourceSchema));
    this.target.set(choiceOf(mapping.targetSchema));
    this.rules.set(mapping.rules);
    this.documentExpression.set(mapping.documentExpression ?? '');
    this.stylesheet.set(mapping.stylesheet ?? '');
    this.files.set(mapping.files);
    this.problems.set([]);
    this.warnings.set(mapping.warnings);
    this.pending.set(null);
  }

  /** Another schema follows its latest version unless one is pinned with it. */
  chooseSource(choice: SideChoice): void {
    this.source.set(sameSchemaChoice(this.source(), choice));
    this.pending.set(null);
  }

  chooseTarget(choice: SideChoice): void {
    this.target.set(sameSchemaChoice(this.target(), choice));
    this.pending.set(null);
  }

  /**
   * A field picked in one tree: the first pick waits (picking it again lets go); a pick in the
   * other tree makes the rule `target ← expression`, the expression prefilled from the source.
   */
  pick(side: 'source' | 'target', chain: readonly SchemaFieldDto[]): void {
    const pending = this.pending();
    const path = chain[chain.length - 1]?.path;
    if (!pending || pending.side === side) {
      const same = pending?.chain[pending.chain.length - 1]?.path === path;
      this.pending.set(same ? null : { side, chain });
      return;
    }
    const [source, target] = side === 'target' ? [pending.chain, chain] : [chain, pending.chain];
    this.connect(source, target);
  }

  /** Makes (or re-points) the rule for `target` from `source`. */
  connect(source: readonly SchemaFieldDto[], target: readonly SchemaFieldDto[]): void {
    const added = withRule(this.rules(), targetPath(target), sourceExpression(source));
    this.rules.set(added.rules);
    this.lastRule.set(added.index);
    this.pending.set(null);
    this.problems.update((problems) => problems.filter((p) => ruleIndexOf(p.location) === null));
  }

  setExpression(index: number, expression: string): void {
    this.rules.update((rules) => rules.map((r, i) => (i === index ? { ...r, expression } : r)));
    // The problems of an edited rule no longer describe its text.
    this.problems.update((problems) => problems.filter((p) => ruleIndexOf(p.location) !== index));
  }

  removeRule(index: number): void {
    this.rules.update((rules) => rules.filter((_, i) => i !== index));
    // Locations of the rules after it moved: the problems are stale.
    this.problems.update((problems) => problems.filter((p) => ruleIndexOf(p.location) === null));
    this.lastRule.set(null);
  }

  /** Problems located in one file of an XSLT bundle (`stylesheet` is the main one). */
  fileDiagnostics(path: string): CodeDiagnostic[] {
    const text =
      path === 'stylesheet'
        ? this.stylesheet()
        : (this.files().find((file) => file.path === path)?.text ?? '');
    return this.problems()
      .filter((problem) => problem.location.replace(/:\d+$/, '') === path)
      .filter((problem) => /:\d+$/.test(problem.location))
      .map((problem) => lineDiagnosticOf(problem, text));
  }

  /** Adds an included file (an unused path: the caller checks), answering its index. */
  addFile(path: string, text: string): number {
    this.files.update((files) => [...files, { path, text }]);
    return this.files().length - 1;
  }

  /** Renames a file; false (nothing changed) when the path is empty or another file's. */
  renameFile(index: number, path: string): boolean {
    const wanted = path.trim();
    const files = this.files();
    if (wanted === '' || wanted === 'stylesheet') return false;
    if (files.some((file, i) => i !== index && file.path === wanted)) return false;
    this.files.set(files.map((file, i) => (i === index ? { ...file, path: wanted } : file)));
    return true;
  }

  setFileText(index: number, text: string): void {
    this.files.update((files) => files.map((file, i) => (i === index ? { ...file, text } : file)));
  }

  removeFile(index: number): void {
    this.files.update((files) => files.filter((_, i) => i !== index));
  }

  /** The body a save sends (create, or update with the same fields). */
  body(): CreateMappingDto {
    const source = this.source();
    const target = this.target();
    const common = {
      name: this.name().trim(),
      kind: this.kind(),
      sourceSchema: schemaRef(source.schemaId ?? '', source.root, source.version ?? null),
      targetSchema: schemaRef(target.schemaId ?? '', target.root, target.version ?? null),
    };
    if (this.kind() === 'XSLT')
      return { ...common, stylesheet: this.stylesheet(), files: [...this.files()] };
    const document = this.documentExpression().trim();
    return { ...common, rules: [...this.rules()], documentExpression: document || null };
  }
}

/** A side's choice as a mapping names it: schema, root and pinned version (null: latest). */
function choiceOf(ref: MappingDetailDto['sourceSchema']): SideChoice {
  return { schemaId: ref.assetId, root: rootOf(ref), version: ref.version ?? null };
}

/**
 * `next` with its version: the one it names, else the current pin for the same schema, else
 * null (another schema follows its latest).
 */
function sameSchemaChoice(current: SideChoice, next: SideChoice): SideChoice {
  if (next.version !== undefined) return { ...next, version: next.version };
  return {
    ...next,
    version: next.schemaId === current.schemaId ? (current.version ?? null) : null,
  };
}
