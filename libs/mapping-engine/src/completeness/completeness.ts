import { type SchemaField } from '@integrixs/schema-engine';

import { resolved, type CanonicalOptions } from '../canonical/canonical-fields';
import { type JsonataMapping } from '../jsonata/mapping-model';
import { resolveTarget } from '../jsonata/target-paths';

/**
 * Which target fields a mapping fills, from the target structure, recursively:
 * - a rule on a field covers it and everything below it; a whole-document expression (or an
 *   XSLT stylesheet) covers everything;
 * - a field is required when its parent will exist (the root, or a parent some rule writes
 *   into) and it is required there (XSD minOccurs ≥ 1 or `use="required"`, JSON Schema
 *   `required`): a required child of an optional parent nobody maps is not missing;
 * - the `choice` alternatives under one parent are one choice (the structure flattens choice
 *   groups): one alternative mapped satisfies it; none, and it is missing as `oneOf`. A choice
 *   counts as required when every alternative is (the structure does not keep the choice's own
 *   minOccurs).
 * Fields below an unmapped field are not listed: the console shows them under it.
 */
export interface MissingField {
  path: string;
  /** A required choice none of whose alternatives is mapped: the alternatives. */
  oneOf?: string[];
}

export interface CompletenessReport {
  complete: boolean;
  /** Fields a rule writes, directly, through a rule on an ancestor, or as a parent of one. */
  covered: string[];
  missingRequired: MissingField[];
  unmappedOptional: string[];
}

export interface CompletenessOptions {
  /** Expands target fields the structure cut short, when rules reach below them. */
  expand?: CanonicalOptions['expand'];
}

export function completeness(
  target: SchemaField,
  mapping: JsonataMapping | { wholeDocument: true },
  options: CompletenessOptions = {},
): CompletenessReport {
  const report: CompletenessReport = {
    complete: true,
    covered: [],
    missingRequired: [],
    unmappedOptional: [],
  };
  const whole = 'wholeDocument' in mapping || !!mapping.document?.trim();
  const mapped = new Set<string>();
  if (!('wholeDocument' in mapping)) {
    for (const rule of mapping.rules ?? []) {
      const field = resolveTarget(rule.target, target)?.field;
      if (field) mapped.add(field.path);
    }
  }
  const walker = new Walker(mapped, whole, options, report);
  walker.children(target, true, false);
  if (whole || mapped.has(target.path)) report.covered.unshift(target.path);
  report.complete = report.missingRequired.length === 0;
  return report;
}

class Walker {
  constructor(
    private readonly mapped: Set<string>,
    private readonly whole: boolean,
    private readonly options: CompletenessOptions,
    private readonly report: CompletenessReport,
  ) {}

  /** The children of `parent`; `active`: the parent will exist; `covered`: a rule above covers them. */
  children(parent: SchemaField, active: boolean, covered: boolean): void {
    const field = this.expandable(parent);
    if (field.recursive) return;
    const children = (field.children ?? []).filter((c) => c.name !== '#text');
    const choices = children.filter((c) => c.choice);
    for (const child of children) {
      if (!child.choice) this.field(child, active, covered, required(child));
    }
    if (choices.length === 0) return;
    const taken = choices.filter(
      (c) => covered || this.whole || this.mapped.has(c.path) || this.reached(c),
    );
    if (taken.length > 0) {
      for (const c of choices) this.field(c, active, covered, false);
      return;
    }
    if (active && choices.every((c) => required(c))) {
      this.report.missingRequired.push({
        path: choices[0].path,
        oneOf: choices.map((c) => c.path),
      });
    } else {
      this.report.unmappedOptional.push(...choices.map((c) => c.path));
    }
  }

  private field(
    field: SchemaField,
    parentActive: boolean,
    above: boolean,
    isRequired: boolean,
  ): void {
    const covered = above || this.whole || this.mapped.has(field.path);
    if (covered) {
      this.report.covered.push(field.path);
      this.children(field, true, true);
    } else if (this.reached(field)) {
      // Some rule writes below it: it will exist, and its required children must be mapped.
      this.report.covered.push(field.path);
      this.children(field, true, false);
    } else if (isRequired && parentActive) {
      this.report.missingRequired.push({ path: field.path });
    } else {
      this.report.unmappedOptional.push(field.path);
    }
  }

  /** A rule writes below this field. */
  private reached(field: SchemaField): boolean {
    for (const path of this.mapped) {
      if (path.startsWith(`${field.path}/`) || path.startsWith(`${field.path}[]`)) return true;
    }
    return false;
  }

  /** Fields cut short are expanded only when something is mapped below them. */
  private expandable(field: SchemaField): SchemaField {
    if (!field.truncated || !this.reached(field)) return field;
    return resolved(field, { expand: this.options.expand });
  }
}

/** Required where it stands: XSD minOccurs ≥ 1 or `use="required"`, JSON `required`, array items. */
function required(field: SchemaField): boolean {
  if (field.kind === 'items') return true;
  if (field.kind === 'attribute' || field.kind === 'property') return field.required === true;
  return (field.minOccurs ?? 1) >= 1;
}
