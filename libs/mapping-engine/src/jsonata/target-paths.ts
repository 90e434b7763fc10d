import { type SchemaField } from '@integrixs/schema-engine';

import { fieldChildren, hasAttributes, TEXT_KEY } from '../canonical/canonical-fields';

/**
 * Target field paths (structure paths, as the console shows them) → the JSON keys a rule sets
 * in the output document, which is the content of the target's root (see the README).
 */
export interface TargetStep {
  key: string;
  /** `name[]`: the rule's value is spread over the array's items (the i-th value to item i). */
  each: boolean;
}

export interface ResolvedTarget {
  steps: TargetStep[];
  /** The field, when the target structure is known and has it. */
  field?: SchemaField;
}

/**
 * Resolves a target path against the target root; undefined when the structure is known and
 * has no such field. Without a structure the path is taken as it is written.
 */
export function resolveTarget(
  path: string,
  root: SchemaField | undefined,
): ResolvedTarget | undefined {
  const relative = stripRoot(path.trim(), root);
  const raw = relative.split('/').filter((s) => s !== '');
  const steps = raw.map((s): TargetStep => {
    const each = s.endsWith('[]') && s !== '[]';
    return { key: each ? s.slice(0, -2) : s, each };
  });
  if (!root) return steps.length > 0 ? { steps } : undefined;
  let field: SchemaField | undefined = root;
  for (const step of steps) {
    field = field && childField(field, step);
    if (!field) return undefined;
  }
  return { steps, field };
}

function stripRoot(path: string, root: SchemaField | undefined): string {
  if (!root || root.path === '/' || root.path === '') return path;
  if (path === root.path) return '';
  return path.startsWith(`${root.path}/`) ? path.slice(root.path.length) : path;
}

function childField(field: SchemaField, step: TargetStep): SchemaField | undefined {
  const children = field.children ?? [];
  // JSON Schema: `lines[]` is the property `lines` and then its items.
  const property = children.find((c) => c.kind === 'property' && c.name === step.key);
  if (property) {
    if (!step.each) return property;
    return property.children?.find((c) => c.kind === 'items');
  }
  const canonical = fieldChildren(field);
  const found = canonical.elements.get(step.key) ?? canonical.attributes.get(step.key);
  if (found) return found;
  if (step.key === TEXT_KEY && hasAttributes(field)) return field;
  return undefined;
}
