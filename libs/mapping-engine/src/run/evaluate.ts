import { type SchemaField } from '@integrixs/schema-engine';

import { type CanonicalOptions, type ValueKind } from '../canonical/canonical-fields';
import { jsonToXml } from '../canonical/json-to-xml';
import { readCanonicalXml } from '../canonical/xml-reader';
import { type JsonValue } from '../canonical/xml-to-json';
import { CompiledMapping } from '../jsonata/jsonata-mapping';
import { MappingRuntimeError, type JsonataMapping } from '../jsonata/mapping-model';
import { runStylesheet } from '../xslt/xslt-runner';

/**
 * What runs in the mapping workers: reading an XML input into the canonical JSON view (saxes,
 * pure JavaScript), the user code — JSONata expressions, XSLT stylesheets — and writing the
 * output text, all under the worker's time and memory limits. It must stay free of native
 * modules (libxmljs2 cannot be loaded in a worker thread once the main thread has loaded it).
 * The same evaluation runs in process for {@link prepareTransform}.
 */

/** A payload side as a worker gets it: plain data (no functions). */
export interface WorkerSide {
  format: 'XML' | 'JSON';
  root?: SchemaField;
  types?: Record<string, ValueKind>;
  prefixes?: Record<string, string>;
  /** The caller has an expander for fields the structure cut short (ask it: `needs`). */
  expandable?: boolean;
}

export type WorkerDefinition =
  | {
      kind: 'JSONATA';
      mapping: JsonataMapping;
      source: WorkerSide;
      target: WorkerSide;
      /** Write the output text here (false: the caller writes it, with its target expander). */
      writeOutput: boolean;
      maxInputBytes: number;
      maxOutputChars: number;
    }
  | { kind: 'XSLT'; stylesheet: string; files: Record<string, string> };

/**
 * Source fields the structure cut short, expanded by the caller (which holds the compiled
 * schema), by path; `null`: the field cannot be expanded.
 */
export type Expansions = Record<string, SchemaField | null>;

export type EvaluationResult =
  /** `text`: the output written; else `output` for the caller to write. */
  | { output?: unknown; text?: string; needs?: undefined }
  /** The input reached source fields the structure cut short: expand these, then run again. */
  | { needs: SchemaField[] };

export interface Evaluation {
  /**
   * JSONATA: the input payload — XML text (a source in XML) or its parsed JSON; XSLT: checked
   * XML text.
   */
  run(input: unknown, expansions?: Expansions): Promise<EvaluationResult>;
}

export interface LocalExpanders {
  /** In process: the source's expander itself, instead of asking the caller. */
  source?: CanonicalOptions['expand'];
  target?: CanonicalOptions['expand'];
}

/** Compiles a definition already checked by compileDefinition (payload-io.ts). */
export function prepareEvaluation(
  definition: WorkerDefinition,
  local?: LocalExpanders,
): Evaluation {
  if (definition.kind === 'XSLT') {
    const { stylesheet, files } = definition;
    return {
      run: async (input) => ({ text: await runStylesheet(stylesheet, files, String(input)) }),
    };
  }
  const { source, target } = definition;
  const mapping = CompiledMapping.compile(definition.mapping, { target: target.root });
  // Expansions the caller sent, kept for every later input.
  const known = new Map<string, SchemaField | null>();
  return {
    run: async (input, expansions) => {
      for (const path in expansions) known.set(path, expansions[path]);
      let document: unknown = input;
      if (source.format === 'XML') {
        if (!source.root) throw new MappingRuntimeError('an XML source needs its root field');
        const needs = new Map<string, SchemaField>();
        const ask = (field: SchemaField): SchemaField | undefined | null => {
          const found = known.get(field.path);
          if (found !== undefined) return found ?? undefined;
          needs.set(field.path, field);
          return null;
        };
        const expand = local?.source ?? (source.expandable ? ask : undefined);
        document = readCanonicalXml(String(input), source.root, {
          types: source.types,
          expand,
          limits: { maxBytes: definition.maxInputBytes },
        });
        if (needs.size > 0) return { needs: [...needs.values()] };
      }
      const output = await mapping.evaluate(document);
      if (!definition.writeOutput) return { output };
      return { text: outputText(definition, output, local?.target) };
    },
  };
}

/** The output as text: JSON, or XML in schema order. */
export function outputText(
  definition: Extract<WorkerDefinition, { kind: 'JSONATA' }>,
  output: unknown,
  expand?: CanonicalOptions['expand'],
): string {
  const { target } = definition;
  let text: string;
  if (target.format === 'XML') {
    if (!target.root) throw new MappingRuntimeError('an XML target needs its root field');
    text = jsonToXml(output as JsonValue, target.root, {
      types: target.types,
      prefixes: target.prefixes,
      expand,
    });
  } else text = JSON.stringify(output ?? null, null, 2);
  if (text.length > definition.maxOutputChars) {
    throw new MappingRuntimeError(
      `the output is larger than ${definition.maxOutputChars} characters`,
    );
  }
  return text;
}
