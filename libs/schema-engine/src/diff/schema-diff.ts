// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- `diff` has no types; projects that compile this file without its folder need the declaration
/// <reference path="./diff-module.d.ts" />
import { createTwoFilesPatch } from 'diff';

import { type SchemaBundle } from '../bundle/schema-bundle';
import { type SchemaField, type SchemaStructure } from '../structure/schema-structure';

/**
 * Structural diff and compatibility verdict between two versions of a schema. "Breaking" means
 * something built against the old version can fail with the new one: a payload that was valid
 * becomes invalid (narrower type or enum, optional → required, lower maxOccurs, a new required
 * field), or something that was there is gone (element, property, operation, global type —
 * mappings and importing schemas refer to those). Widening and adding optional things is not.
 */

export interface SchemaChange {
  change: 'added' | 'removed' | 'changed';
  path: string;
  kind: SchemaField['kind'] | 'type';
  /** For `changed`: type, namespace, minOccurs, maxOccurs, required, choice, enum, a facet, documentation. */
  aspect?: string;
  before?: unknown;
  after?: unknown;
  breaking: boolean;
  message: string;
}

export interface SchemaDiff {
  compatibility: 'breaking' | 'non-breaking';
  /** Every structural change, in path order. */
  changes: SchemaChange[];
  /** The messages of the breaking changes. */
  reasons: string[];
  /** Unified diff of every file of the two bundles. */
  textDiff: string;
}

export interface SchemaVersionView {
  structure: SchemaStructure;
  bundle: SchemaBundle;
}

export function diffSchemas(before: SchemaVersionView, after: SchemaVersionView): SchemaDiff {
  const changes = diffStructures(before.structure, after.structure);
  const reasons = changes.filter((c) => c.breaking).map((c) => c.message);
  return {
    compatibility: reasons.length > 0 ? 'breaking' : 'non-breaking',
    changes,
    reasons,
    textDiff: diffText(before.bundle, after.bundle),
  };
}

/** Unified diff per file (added and removed files against /dev/null). */
export function diffText(before: SchemaBundle, after: SchemaBundle): string {
  const paths = [...new Set([...before.files, ...after.files].map((f) => f.path))].sort();
  const text = (bundle: SchemaBundle, path: string) =>
    bundle.files.find((f) => f.path === path)?.text;
  return paths
    .map((path) => {
      const a = text(before, path);
      const b = text(after, path);
      if (a === b) return '';
      return createTwoFilesPatch(
        a === undefined ? '/dev/null' : `a/${path}`,
        b === undefined ? '/dev/null' : `b/${path}`,
        a ?? '',
        b ?? '',
        undefined,
        undefined,
        { context: 3 },
      );
    })
    .filter((patch) => patch !== '')
    .join('');
}

export function diffStructures(before: SchemaStructure, after: SchemaStructure): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const old = flatten(before.roots);
  const now = flatten(after.roots);
  for (const [path, field] of old) {
    const next = now.get(path);
    if (!next) {
      if (!old.has(parentOf(path)) || now.has(parentOf(path))) changes.push(removed(field));
    } else {
      changes.push(...compare(field, next));
    }
  }
  for (const [path, field] of now) {
    if (!old.has(path) && (!now.has(parentOf(path)) || old.has(parentOf(path)))) {
      changes.push(added(field));
    }
  }
  const oldTypes = new Set(before.types ?? []);
  const newTypes = new Set(after.types ?? []);
  for (const type of oldTypes) {
    if (!newTypes.has(type)) {
      changes.push({
        change: 'removed',
        path: type,
        kind: 'type',
        breaking: true,
        message: `global type ${type} was removed; schemas that use it break`,
      });
    }
  }
  for (const type of newTypes) {
    if (!oldTypes.has(type)) {
      changes.push({
        change: 'added',
        path: type,
        kind: 'type',
        breaking: false,
        message: `global type ${type} was added`,
      });
    }
  }
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

function flatten(roots: SchemaField[]): Map<string, SchemaField> {
  const out = new Map<string, SchemaField>();
  const walk = (field: SchemaField) => {
    let path = field.path;
    for (let n = 2; out.has(path); n++) path = `${field.path}#${n}`;
    out.set(path, path === field.path ? field : { ...field, path });
    for (const child of field.children ?? []) walk(child);
  };
  roots.forEach(walk);
  return out;
}

function parentOf(path: string): string {
  const cut = Math.max(
    path.lastIndexOf('/'),
    path.lastIndexOf('[]') === path.length - 2 ? path.length - 2 : -1,
  );
  return cut <= 0 ? '' : path.slice(0, cut);
}

function label(field: SchemaField): string {
  switch (field.kind) {
    case 'attribute':
      return `attribute ${field.path}`;
    case 'property':
    case 'items':
      return `property ${field.path}`;
    case 'operation':
      return `operation ${field.name}`;
    case 'message':
      return `message ${field.path}`;
    case 'part':
      return `part ${field.path}`;
    default:
      return `element ${field.path}`;
  }
}

function isRequired(field: SchemaField): boolean {
  if (field.choice) return false;
  if (field.kind === 'operation' || field.kind === 'message') return false;
  return field.required === true || (field.minOccurs ?? 0) >= 1;
}

function removed(field: SchemaField): SchemaChange {
  return {
    change: 'removed',
    path: field.path,
    kind: field.kind,
    breaking: true,
    message: `${label(field)} was removed`,
  };
}

function added(field: SchemaField): SchemaChange {
  const required = isRequired(field);
  return {
    change: 'added',
    path: field.path,
    kind: field.kind,
    breaking: required,
    message: required
      ? `required ${label(field)} was added; payloads without it become invalid`
      : `optional ${label(field)} was added`,
  };
}

function compare(a: SchemaField, b: SchemaField): SchemaChange[] {
  const out: SchemaChange[] = [];
  const change = (
    aspect: string,
    before: unknown,
    after: unknown,
    breaking: boolean,
    message: string,
  ) =>
    out.push({
      change: 'changed',
      path: b.path,
      kind: b.kind,
      aspect,
      before,
      after,
      breaking,
      message: `${label(b)}: ${message}`,
    });

  if ((a.namespace ?? '') !== (b.namespace ?? '')) {
    change(
      'namespace',
      a.namespace,
      b.namespace,
      true,
      `namespace changed from ${a.namespace ?? '(none)'} to ${b.namespace ?? '(none)'}`,
    );
  }
  if ((a.type ?? '') !== (b.type ?? '') || (a.typeNamespace ?? '') !== (b.typeNamespace ?? '')) {
    const verdict = typeChange(a, b);
    change('type', a.type, b.type, verdict.breaking, verdict.message);
  }
  const minA = a.minOccurs ?? 1;
  const minB = b.minOccurs ?? 1;
  if (a.minOccurs !== undefined && b.minOccurs !== undefined && minA !== minB) {
    change(
      'minOccurs',
      minA,
      minB,
      minB > minA,
      minA === 0 && minB > 0
        ? `optional → required (minOccurs ${minA} → ${minB})`
        : `minOccurs ${minA} → ${minB}`,
    );
  }
  if (a.maxOccurs !== undefined && b.maxOccurs !== undefined && a.maxOccurs !== b.maxOccurs) {
    const narrower = bound(b.maxOccurs) < bound(a.maxOccurs);
    change(
      'maxOccurs',
      a.maxOccurs,
      b.maxOccurs,
      narrower,
      `maxOccurs ${a.maxOccurs} → ${b.maxOccurs}`,
    );
  }
  if ((a.required ?? false) !== (b.required ?? false)) {
    change(
      'required',
      a.required ?? false,
      b.required ?? false,
      b.required === true,
      b.required ? 'optional → required' : 'required → optional',
    );
  }
  if ((a.choice ?? false) !== (b.choice ?? false)) {
    change(
      'choice',
      a.choice ?? false,
      b.choice ?? false,
      true,
      b.choice ? 'became one alternative of a choice' : 'is no longer an alternative of a choice',
    );
  }
  const enumChange = compareEnum(a.enum, b.enum);
  if (enumChange) change('enum', a.enum, b.enum, enumChange.breaking, enumChange.message);
  for (const facet of new Set([...Object.keys(a.facets ?? {}), ...Object.keys(b.facets ?? {})])) {
    const x = a.facets?.[facet];
    const y = b.facets?.[facet];
    if (x === y) continue;
    change(facet, x, y, facetNarrows(facet, x, y), `${facet} ${x ?? '(none)'} → ${y ?? '(none)'}`);
  }
  if ((a.documentation ?? '') !== (b.documentation ?? '')) {
    change('documentation', a.documentation, b.documentation, false, 'documentation changed');
  }
  return out;
}

function bound(max: number | 'unbounded'): number {
  return max === 'unbounded' ? Number.POSITIVE_INFINITY : max;
}

/** XSD built-ins each include the value space of the ones listed under them. */
const XSD_WIDER: Record<string, string[]> = {
  'xs:short': ['xs:byte'],
  'xs:int': ['xs:short'],
  'xs:long': ['xs:int'],
  'xs:integer': ['xs:long', 'xs:nonNegativeInteger', 'xs:nonPositiveInteger'],
  'xs:decimal': ['xs:integer'],
  'xs:unsignedShort': ['xs:unsignedByte'],
  'xs:unsignedInt': ['xs:unsignedShort'],
  'xs:unsignedLong': ['xs:unsignedInt'],
  'xs:nonNegativeInteger': ['xs:unsignedLong', 'xs:positiveInteger'],
  'xs:nonPositiveInteger': ['xs:negativeInteger'],
  'xs:double': ['xs:float'],
  'xs:normalizedString': ['xs:token'],
  'xs:token': ['xs:language', 'xs:Name', 'xs:NMTOKEN'],
  'xs:Name': ['xs:NCName'],
  'xs:NCName': ['xs:ID', 'xs:IDREF', 'xs:ENTITY'],
  'xs:string': [
    'xs:normalizedString',
    'xs:anyURI',
    'xs:decimal',
    'xs:double',
    'xs:boolean',
    'xs:date',
    'xs:dateTime',
    'xs:time',
    'xs:duration',
    'xs:QName',
    'xs:base64Binary',
    'xs:hexBinary',
    'xs:gYear',
    'xs:gYearMonth',
    'xs:gMonth',
    'xs:gMonthDay',
    'xs:gDay',
  ],
  'xs:anySimpleType': ['xs:string'],
  'xs:anyType': ['xs:anySimpleType'],
};

function includes(wider: string, narrower: string, seen = new Set<string>()): boolean {
  if (wider === narrower) return true;
  if (seen.has(wider)) return false;
  seen.add(wider);
  return (XSD_WIDER[wider] ?? []).some((t) => includes(t, narrower, seen));
}

/** JSON types as sets: `integer` is inside `number`. */
function jsonTypesWiden(a: string, b: string): boolean {
  const before = a.split('|');
  const after = new Set(b.split('|'));
  return before.every((t) => after.has(t) || (t === 'integer' && after.has('number')));
}

function typeChange(a: SchemaField, b: SchemaField): { breaking: boolean; message: string } {
  const from = a.type ?? '(none)';
  const to = b.type ?? '(none)';
  if (a.kind === 'property' || a.kind === 'items') {
    if (!a.type) return { breaking: true, message: `type restricted to ${to}` };
    if (!b.type) return { breaking: false, message: `type ${from} → any` };
    const wider = jsonTypesWiden(from, to);
    return {
      breaking: !wider,
      message: `type ${from} → ${to}${wider ? ' (wider)' : ' (narrower or different)'}`,
    };
  }
  if (from.startsWith('xs:') && to.startsWith('xs:')) {
    const wider = includes(to, from);
    return {
      breaking: !wider,
      message: `type ${from} → ${to}${wider ? ' (wider)' : ' (narrower or different)'}`,
    };
  }
  if (a.kind === 'message') {
    return {
      breaking: false,
      message: `message ${from} → ${to} (its parts are compared one by one)`,
    };
  }
  // A named type: its content (children, enum, facets) is compared field by field.
  return {
    breaking: false,
    message: `type ${from} → ${to} (its content is compared field by field)`,
  };
}

function compareEnum(
  a: string[] | undefined,
  b: string[] | undefined,
): { breaking: boolean; message: string } | undefined {
  if (!a && !b) return undefined;
  if (!a) return { breaking: true, message: `values restricted to ${b?.join(', ')}` };
  if (!b) return { breaking: false, message: 'no longer restricted to a list of values' };
  const gone = a.filter((v) => !b.includes(v));
  const added = b.filter((v) => !a.includes(v));
  if (gone.length === 0 && added.length === 0) return undefined;
  if (gone.length > 0) {
    return {
      breaking: true,
      message: `values removed: ${gone.join(', ')}${added.length ? `; added: ${added.join(', ')}` : ''}`,
    };
  }
  return { breaking: false, message: `values added: ${added.join(', ')}` };
}

const LOWER_BOUNDS = new Set([
  'minLength',
  'minInclusive',
  'minExclusive',
  'minimum',
  'exclusiveMinimum',
  'minItems',
]);
const UPPER_BOUNDS = new Set([
  'maxLength',
  'maxInclusive',
  'maxExclusive',
  'maximum',
  'exclusiveMaximum',
  'maxItems',
  'totalDigits',
  'fractionDigits',
]);

/** Whether a facet change can reject values the old facet accepted. */
function facetNarrows(
  facet: string,
  before: string | undefined,
  after: string | undefined,
): boolean {
  if (after === undefined) return false; // facet removed: wider
  if (before === undefined) return true; // facet added: narrower
  const x = Number(before);
  const y = Number(after);
  if (Number.isNaN(x) || Number.isNaN(y)) return true;
  if (LOWER_BOUNDS.has(facet)) return y > x;
  if (UPPER_BOUNDS.has(facet)) return y < x;
  return true; // pattern, length, format, const, multipleOf: any change can reject old values
}
