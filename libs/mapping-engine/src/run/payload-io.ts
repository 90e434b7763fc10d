import {
  DEFAULT_JSON_LIMITS,
  parseJson,
  XmlSafety,
  type SchemaField,
} from '@integrixs/schema-engine';

import { type ValueKind } from '../canonical/canonical-fields';
import { CompiledMapping } from '../jsonata/jsonata-mapping';
import {
  MappingRuntimeError,
  type JsonataMapping,
  type MappingProblem,
} from '../jsonata/mapping-model';
import { CompiledStylesheet } from '../xslt/xslt-stylesheet';
import { outputText, prepareEvaluation, type WorkerDefinition, type WorkerSide } from './evaluate';

/**
 * The caller's side of a transformation: checking a definition (the compile errors and
 * warnings need the structures and their expanders), the JSON input through the schema
 * engine's capped parser, the XSLT input through XmlSafety, and writing an output the worker
 * could not (an XML target with an expander). Reading XML into the canonical view, the user
 * code and writing the output run in a worker (evaluate.ts, mapping-runner.ts), or in process
 * with {@link prepareTransform}.
 */
export interface PayloadSide {
  format: 'XML' | 'JSON';
  /** XML sides: the root element's structure (JSON sides: for reference checks only). */
  root?: SchemaField;
  /** Named simple types → value kinds (xsdValueTypes). */
  types?: Record<string, ValueKind>;
  /** Target XML: namespace → prefix. */
  prefixes?: Record<string, string>;
  /**
   * Fields the structure cut short, expanded (xsdExpander); main thread only — a worker asks
   * for the expansions its input needs.
   */
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
export function compileDefinition(
  definition: MappingDefinition,
  limits: TransformLimits = DEFAULT_TRANSFORM_LIMITS,
): {
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
    worker: {
      kind: 'JSONATA',
      mapping: definition.mapping,
      source: workerSide(source),
      target: workerSide(target),
      writeOutput: target.format === 'JSON' || !target.expand,
      maxInputBytes: limits.maxInputBytes,
      maxOutputChars: limits.maxOutputChars,
    },
  };
}

/** A side without its expander (a function cannot go to a worker). */
function workerSide({ format, root, types, prefixes, expand }: PayloadSide): WorkerSide {
  return { format, root, types, prefixes, expandable: !!expand };
}

/**
 * The input as the evaluation takes it: JSON parsed (capped), XML for a stylesheet checked to
 * be safe and well-formed (the stylesheet engine's own parser is lenient), XML for JSONata as it
 * is (read into the canonical view where the mapping runs, with its own caps).
 */
export function readInput(
  definition: MappingDefinition,
  input: string,
  limits: TransformLimits,
): unknown {
  const { source } = definition;
  if (definition.kind === 'XSLT') {
    const parsed = new XmlSafety({ maxBytes: limits.maxInputBytes }).parse(input, 'input');
    if (!parsed.doc || parsed.problems.length > 0) {
      throw new MappingRuntimeError(
        `the input is not accepted as XML: ${parsed.problems[0]?.message ?? 'empty'}`,
      );
    }
    return input;
  }
  if (source.format === 'XML') return input;
  const parsed = parseJson(input, { ...DEFAULT_JSON_LIMITS, maxBytes: limits.maxInputBytes });
  if (!parsed.ok) {
    throw new MappingRuntimeError(
      `the input is not accepted as JSON: ${parsed.message} (line ${parsed.line}, column ${parsed.column})`,
    );
  }
  return parsed.value;
}

/** The evaluation's result as output text: written already, or written here. */
export function writeOutput(
  definition: MappingDefinition,
  result: { output?: unknown; text?: string },
  limits: TransformLimits,
): string {
  let text: string;
  if (result.text !== undefined) text = result.text;
  else if (definition.kind === 'XSLT') text = String(result.output);
  else {
    const worker = compiledSides(definition, limits);
    return outputText(worker, result.output, definition.target.expand);
  }
  if (text.length > limits.maxOutputChars) {
    throw new MappingRuntimeError(`the output is larger than ${limits.maxOutputChars} characters`);
  }
  return text;
}

function compiledSides(
  definition: Extract<MappingDefinition, { kind: 'JSONATA' }>,
  limits: TransformLimits,
): Extract<WorkerDefinition, { kind: 'JSONATA' }> {
  return {
    kind: 'JSONATA',
    mapping: definition.mapping,
    source: workerSide(definition.source),
    target: workerSide(definition.target),
    writeOutput: false,
    ...limits,
  };
}

export interface PreparedTransform {
  warnings: MappingProblem[];
  run(input: string): Promise<string>;
}

/**
 * A transformation in this thread, without the time and memory limits of MappingRunner: for
 * trusted mappings and benchmarks (what the conversion and the wrapper cost). The mapping is
 * compiled once; each run reads, evaluates and writes exactly as a worker does.
 */
export function prepareTransform(
  definition: MappingDefinition,
  limits: TransformLimits = DEFAULT_TRANSFORM_LIMITS,
): PreparedTransform {
  const { warnings, worker } = compileDefinition(definition, limits);
  // In process the expanders are at hand: the output is always written by the evaluation.
  const evaluation = prepareEvaluation(
    worker.kind === 'JSONATA' ? { ...worker, writeOutput: true } : worker,
    { source: definition.source.expand, target: definition.target.expand },
  );
  return {
    warnings,
    run: async (input) => {
      const result = await evaluation.run(readInput(definition, input, limits));
      // Never here: the source's own expander answers at once.
      if (result.needs) throw new MappingRuntimeError('the source structure cannot be expanded');
      return writeOutput(definition, result, limits);
    },
  };
}
