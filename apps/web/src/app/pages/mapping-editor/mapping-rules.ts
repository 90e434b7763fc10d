import {
  type MappingCompletenessDto,
  type MappingProblemDto,
  type MappingRuleDto,
  type SchemaFieldDto,
} from '@integrixs/api-client';

import { type CodeDiagnostic } from '../../ui/code-editor/code-editor';
import { type FieldMark } from '../../ui/schema-field-tree/schema-field-tree';

/**
 * The editor's rule building, free of Angular: what a rule's target path and prefilled JSONata
 * expression are for fields picked in the trees, and where the API's problems belong. Paths
 * follow the mapping engine's conventions (libs/mapping-engine/README.md): an XML payload's JSON
 * is the content of its root element, attributes are `@name`, the text of an element whose type
 * has attributes is `#text`, and `name[]` in a target spreads a value over an array's items.
 */

/** A simple JSONata name; anything else is quoted with backticks. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function step(name: string): string {
  return PLAIN_NAME.test(name) ? name : `\`${name.replace(/`/g, '')}\``;
}

function repeats(field: SchemaFieldDto): boolean {
  return field.maxOccurs === 'unbounded' || (field.maxOccurs ?? 1) > 1;
}

/** An XML element whose type declares attributes and no child elements: its text is `#text`. */
function hasTextWithAttributes(field: SchemaFieldDto): boolean {
  const children = field.children ?? [];
  return (
    field.kind === 'element' &&
    children.length > 0 &&
    children.every((child) => child.kind === 'attribute')
  );
}

/**
 * The field at `path` and the fields above it (root first), or null when the tree has no such
 * field. A JSON Schema's items field (`/lines[]`) sits below its array property (`/lines`).
 */
export function fieldChain(
  roots: readonly SchemaFieldDto[],
  path: string,
): SchemaFieldDto[] | null {
  for (const field of roots) {
    if (field.path === path) return [field];
    const below =
      field.path === '/' || path.startsWith(`${field.path}/`) || path.startsWith(`${field.path}[]`);
    if (!below) continue;
    const rest = fieldChain(field.children ?? [], path);
    if (rest) return [field, ...rest];
  }
  return null;
}

/**
 * The JSONata expression that reads a source field, relative to the document (the root's
 * content): `/Invoice/ID` → ``ID.`#text` `` (IdentifierType has attributes),
 * `/Invoice/ID/@schemeID` → ``ID.`@schemeID` ``, JSON `/lines[]/id` → `lines.id`; the root
 * itself is `$`. JSONata maps over arrays by itself, so repeating fields need nothing more.
 */
export function sourceExpression(chain: readonly SchemaFieldDto[]): string {
  const [, ...below] = chain;
  const steps = below
    .filter((field) => field.kind !== 'items')
    .map((field) => step(field.kind === 'attribute' ? `@${field.name}` : field.name));
  const field = chain[chain.length - 1];
  if (field && hasTextWithAttributes(field)) steps.push(step('#text'));
  return steps.length > 0 ? steps.join('.') : '$';
}

/**
 * The rule target for a target field: its structure path, with `[]` after every repeating XML
 * element above it (`/Invoice/InvoiceLine[]/ID`), so the value spreads over the items. JSON
 * Schema paths already carry `[]` (`/lines[]/id`).
 */
export function targetPath(chain: readonly SchemaFieldDto[]): string {
  const field = chain[chain.length - 1];
  if (!field) return '';
  if (field.kind !== 'element' && field.kind !== 'attribute') return field.path;
  let path = '';
  chain.forEach((link, index) => {
    const last = index === chain.length - 1;
    const name = link.kind === 'attribute' ? `@${link.name}` : link.name;
    path += `/${name}${!last && link.kind === 'element' && repeats(link) ? '[]' : ''}`;
  });
  return path;
}

/** A path without `[]`, to compare rule targets with structure and completeness paths. */
export function plainPath(path: string): string {
  return path.replace(/\[\]/g, '');
}

/**
 * The rules with `target ← expression` added; a rule for the same target gets the new
 * expression instead of a second rule. Answers the rules and the index of the rule set.
 */
export function withRule(
  rules: readonly MappingRuleDto[],
  target: string,
  expression: string,
): { rules: MappingRuleDto[]; index: number } {
  const index = rules.findIndex((rule) => plainPath(rule.target) === plainPath(target));
  if (index < 0) return { rules: [...rules, { target, expression }], index: rules.length };
  return { rules: rules.map((rule, i) => (i === index ? { target, expression } : rule)), index };
}

/** Marks for the target tree by plain path: what the rules set, and the missing required fields. */
export function targetMarks(
  rules: readonly MappingRuleDto[],
  completeness: MappingCompletenessDto | null,
): ReadonlyMap<string, FieldMark> {
  const marks = new Map<string, FieldMark>();
  for (const missing of completeness?.missingRequired ?? []) {
    for (const path of [missing.path, ...(missing.oneOf ?? [])])
      marks.set(plainPath(path), 'missing');
  }
  for (const rule of rules) marks.set(plainPath(rule.target), 'mapped');
  return marks;
}

/** `rules[3]` → 3; anything else → null. */
export function ruleIndexOf(location: string): number | null {
  const match = /^rules\[(\d+)\]/.exec(location);
  return match ? Number(match[1]) : null;
}

/**
 * An expression problem as an editor diagnostic. `position` is just past the offending token
 * (JSONata's convention): the mark covers the character before it, or the whole expression
 * when there is no position.
 */
export function diagnosticOf(problem: MappingProblemDto, text: string): CodeDiagnostic {
  if (problem.position === undefined) return { from: 0, to: text.length, message: problem.message };
  const to = Math.min(Math.max(problem.position, 1), Math.max(text.length, 1));
  return { from: to - 1, to, message: problem.message };
}

/** Problems located at `file:line` (XSLT) as diagnostics over that line of `text`. */
export function lineDiagnosticOf(problem: MappingProblemDto, text: string): CodeDiagnostic {
  const line = Number(/:(\d+)$/.exec(problem.location)?.[1] ?? NaN);
  const message = `${problem.location}: ${problem.message}`;
  if (!Number.isInteger(line) || line < 1) return { from: 0, to: 0, message };
  const lines = text.split('\n');
  const from = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
  return { from, to: from + (lines[line - 1]?.length ?? 0), message };
}
