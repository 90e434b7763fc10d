import {
  DEFAULT_JSON_LIMITS,
  parseJson,
  XmlSafety,
  type SchemaField,
} from '@integrixs/schema-engine';

import { type ValueKind } from '../canonical/canonical-fields';
import { jsonToXml } from '../canonical/json-to-xml';
import { xmlToJson, type JsonValue } from '../canonical/xml-to-json';
import { CompiledMapping } from '../jsonata/jsonata-mapping';
import {
  MappingRuntimeError,
  type JsonataMapping,
  type MappingProblem,
} from '../jsonata/mapping-model';
import { CompiledStylesheet } from '../xslt/xslt-stylesheet';
import { prepareEvaluation, type WorkerDefinition } from './evaluate';

/**
 * The caller's side of a transformation: checking a definition, reading the input payload
 * (XML through the schema engine's XmlSafety into the canonical JSON view, JSON through its
 * capped parser) and writing the output. The user code in between runs in a worker
 * (evaluate.ts, mapping-runner.ts), or in process with {@link prepareTransform}.
 */
export interface PayloadSide {
  format: 'XML' | 'JSON';
  /** XML sides: the root element's structure (JSON sides: for reference checks only). */
  root?: SchemaField;
  /** Named simple types → value kinds (xsdValueTypes). */
  types?: Record<string, ValueKind>;
  /** Target XML: namespace → prefix. */
  prefixes?: Record<string, string>;
  /** Fields the structure cut short, expanded (xsdExpander); main thread only. */
  expand?: (field: SchemaField) => SchemaField | undefined;
}

export type MappingDefinition =
  | { kind: 'JSONATA'; mapping: JsonataMapping; source: PayloadSide; target: PayloadSide }
  | {
      kind: 'XSLT';
      stylesheet: string;
      /** Files the stylesheet includes or imports, by the href it uses. */
      files?: Record<string, string>;
      source: PayloadSide;
      target: PayloadSide;
    };

export interface TransformLimits {
  /** Largest input payload, in UTF-8 bytes. */
  maxInputBytes: number;
  /** Largest output, in characters. */
  maxOutputChars: number;
}

export const DEFAULT_TRANSFORM_LIMITS: TransformLimits = {
  maxInputBytes: 16 * 1024 * 1024,
  maxOutputChars: 64 * 1024 * 1024,
};

/** Checks a definition (MappingCompileError) → its warnings and what the worker needs. */
export function compileDefinition(definition: MappingDefinition): {
  warnings: MappingProblem[];
  worker: WorkerDefinition;
} {
  if (definition.kind === 'XSLT') {
    const { stylesheet, files } = CompiledStylesheet.compile(
      definition.stylesheet,
      definition.files,
    ).source;
    return { warnings: [], worker: { kind: 'XSLT', stylesheet, files } };
  }
  const { source, target } = definition;
  const compiled = CompiledMapping.compile(definition.mapping, {
    source: source.root,
    target: target.root,
    expandSource: source.expand,
  });
  return {
    warnings: compiled.warnings,
    worker: { kind: 'JSONATA', mapping: definition.mapping, target: target.root },
  };
}

/** The input as the worker takes it: canonical JSON (JSONATA) or checked XML text (XSLT). */
export function readInput(
  definition: MappingDefinition,
  input: string,
  limits: TransformLimits,
): unknown {
  const { source } = definition;
  const safety = new XmlSafety({ maxBytes: limits.maxInputBytes });
  if (definition.kind === 'XSLT') {
    // The stylesheet engine's own parser is lenient: it only ever sees well-formed, safe XML.
    const parsed = safety.parse(input, 'input');
    if (!parsed.doc || parsed.problems.length > 0) {
      throw new MappingRuntimeError(
        `the input is not accepted as XML: ${parsed.problems[0]?.message ?? 'empty'}`,
      );
    }
    return input;
  }
  if (source.format === 'XML') {
    if (!source.root) throw new MappingRuntimeError('an XML source needs its root field');
    return xmlToJson(input, source.root, { types: source.types, expand: source.expand, safety });
  }
  const parsed = parseJson(input, { ...DEFAULT_JSON_LIMITS, maxBytes: limits.maxInputBytes });
  if (!parsed.ok) {
    throw new MappingRuntimeError(
      `the input is not accepted as JSON: ${parsed.message} (line ${parsed.line}, column ${parsed.column})`,
    );
  }
  return parsed.value;
}

/** The worker's result as output text: XML in schema order, or JSON. */
export function writeOutput(
  definition: MappingDefinition,
  output: unknown,
  limits: TransformLimits,
): string {
  const { target } = definition;
  let text: string;
  if (definition.kind === 'XSLT') text = String(output);
  else if (target.format === 'XML') {
    if (!target.root) throw new MappingRuntimeError('an XML target needs its root field');
    text = jsonToXml(output as JsonValue, target.root, {
      types: target.types,
      prefixes: target.prefixes,
      expand: target.expand,
    });
  } else text = JSON.stringify(output ?? null, null, 2);
  if (text.length > limits.maxOutputChars) {
    throw new MappingRuntimeError(`the output is larger than ${limits.maxOutputChars} characters`);
  }
  return text;
}

export interface PreparedTransform {
  warnings: MappingProblem[];
  run(input: string): Promise<string>;
}

/**
 * A transformation in this thread, without the time and memory limits of MappingRunner: for
 * trusted mappings and benchmarks (what the conversion and the wrapper cost).
 */
export function prepareTransform(
  definition: MappingDefinition,
  limits: TransformLimits = DEFAULT_TRANSFORM_LIMITS,
): PreparedTransform {
  const { warnings, worker } = compileDefinition(definition);
  const evaluation = prepareEvaluation(worker);
  return {
    warnings,
    run: async (input) =>
      writeOutput(definition, await evaluation.run(readInput(definition, input, limits)), limits),
  };
}
