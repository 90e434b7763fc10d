import jsonata, { type Expression } from 'jsonata';

import { type SchemaField } from '@integrixs/schema-engine';

import {
  hasAttributes,
  isSimple,
  TEXT_KEY,
  type CanonicalOptions,
} from '../canonical/canonical-fields';
import {
  MappingCompileError,
  MappingRuntimeError,
  type JsonataMapping,
  type MappingProblem,
} from './mapping-model';
import { unknownReferences } from './source-references';
import { resolveTarget, type ResolvedTarget } from './target-paths';

/**
 * Compiles a JSONata mapping once (every expression, up front) and runs it many times. Syntax
 * errors and targets the target structure does not have are errors (MappingCompileError, every
 * problem located); source fields the source structure does not have are warnings.
 */
export interface MappingStructures {
  /** The source root (an XSD root element, a JSON Schema document); no reference check without. */
  source?: SchemaField;
  /** The target root; rule targets are checked against it when given. */
  target?: SchemaField;
  /** Expands source fields the structure cut short, to check references into them too. */
  expandSource?: CanonicalOptions['expand'];
}

interface CompiledRule {
  location: string;
  target: ResolvedTarget;
  expression: Expression;
  /** Scalar to an element with attributes: goes to its `#text`. */
  text: boolean;
}

interface JsonataError {
  code?: string;
  position?: number;
  token?: string;
  message: string;
}

export class CompiledMapping {
  private constructor(
    private readonly rules: CompiledRule[],
    private readonly document: Expression | undefined,
    readonly warnings: MappingProblem[],
  ) {}

  static compile(mapping: JsonataMapping, structures: MappingStructures = {}): CompiledMapping {
    const errors: MappingProblem[] = [];
    const warnings: MappingProblem[] = [];
    const parse = (location: string, text: string, target?: string): Expression | undefined => {
      try {
        const expression = jsonata(text);
        if (structures.source) {
          for (const ref of unknownReferences(
            expression.ast(),
            structures.source,
            structures.expandSource,
          )) {
            warnings.push({
              location,
              target,
              position: ref.position,
              path: ref.path,
              code: 'unknown_source_field',
              message: `the source has no field ${ref.path}`,
            });
          }
        }
        return expression;
      } catch (error) {
        const e = error as JsonataError;
        errors.push({
          location,
          target,
          position: e.position,
          code: 'syntax_error',
          message: `${e.message}${e.position !== undefined ? ` (position ${e.position})` : ''}`,
        });
        return undefined;
      }
    };
    const rules = mapping.rules ?? [];
    const trimmedDocument = mapping.document?.trim();
    if (rules.length === 0 && !trimmedDocument) {
      errors.push({
        location: 'mapping',
        code: 'empty_mapping',
        message: 'the mapping has no rule and no document expression',
      });
    }
    const document = trimmedDocument ? parse('document', trimmedDocument) : undefined;
    const compiled: CompiledRule[] = [];
    rules.forEach((rule, i) => {
      const location = `rules[${i}]`;
      const target = resolveTarget(rule.target, structures.target);
      if (!target) {
        errors.push({
          location,
          target: rule.target,
          code: 'unknown_target',
          message: `the target has no field ${rule.target}`,
        });
      }
      const expression = parse(location, rule.expression, rule.target);
      if (target && expression) {
        const field = target.field;
        const text = !!field && field.kind === 'element' && hasAttributes(field) && isSimple(field);
        compiled.push({ location, target, expression, text });
      }
    });
    if (errors.length > 0) throw new MappingCompileError(errors);
    return new CompiledMapping(compiled, document, warnings);
  }

  /** Runs the mapping on the canonical JSON view (or JSON payload) of the source document. */
  async evaluate(input: unknown, bindings: Record<string, unknown> = {}): Promise<unknown> {
    let output: unknown = {};
    if (this.document) {
      output = await run('document', this.document, input, bindings);
      if (this.rules.length > 0 && !isObject(output)) {
        throw new MappingRuntimeError(
          'the document expression must give an object when rules follow it',
          'document',
        );
      }
    }
    for (const rule of this.rules) {
      const value = await run(rule.location, rule.expression, input, bindings);
      if (value === undefined) continue;
      assign(output as Record<string, unknown>, rule.target.steps, plain(value), rule.text);
    }
    return output;
  }
}

async function run(
  location: string,
  expression: Expression,
  input: unknown,
  bindings: Record<string, unknown>,
): Promise<unknown> {
  try {
    return (await expression.evaluate(input, bindings)) as unknown;
  } catch (error) {
    const e = error as JsonataError;
    throw new MappingRuntimeError(e.message, location, e.position);
  }
}

/**
 * Sets `value` at `steps`, creating objects and arrays on the way; `name[]` spreads an array
 * value over the items (item i gets value i), and a single value over every existing item.
 */
function assign(
  target: Record<string, unknown>,
  steps: ResolvedTarget['steps'],
  value: unknown,
  text: boolean,
): void {
  const [step, ...rest] = steps;
  if (!step) return;
  if (step.each) {
    const items = Array.isArray(target[step.key]) ? (target[step.key] as unknown[]) : [];
    target[step.key] = items;
    const values: unknown[] | undefined = Array.isArray(value) ? (value as unknown[]) : undefined;
    const count = values ? values.length : Math.max(1, items.length);
    for (let i = 0; i < count; i++) {
      const v = values ? values[i] : value;
      if (rest.length === 0) items[i] = v;
      else {
        if (!isObject(items[i])) items[i] = {};
        assign(items[i] as Record<string, unknown>, rest, v, text);
      }
    }
    return;
  }
  if (rest.length > 0) {
    if (!isObject(target[step.key])) target[step.key] = {};
    assign(target[step.key] as Record<string, unknown>, rest, value, text);
    return;
  }
  const existing = target[step.key];
  if (text && !isObject(value) && !Array.isArray(value)) {
    target[step.key] = { ...(isObject(existing) ? existing : {}), [TEXT_KEY]: value };
  } else if (isObject(existing) && isObject(value)) {
    target[step.key] = { ...existing, ...value };
  } else {
    target[step.key] = value;
  }
}

/** JSONata results carry a `sequence` flag on arrays; the output is plain JSON. */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
