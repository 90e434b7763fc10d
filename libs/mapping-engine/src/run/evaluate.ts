import { type SchemaField } from '@integrixs/schema-engine';

import { CompiledMapping } from '../jsonata/jsonata-mapping';
import { type JsonataMapping } from '../jsonata/mapping-model';
import { runStylesheet } from '../xslt/xslt-runner';

/**
 * The part of a transformation that runs user code — JSONata expressions, XSLT stylesheets —
 * and therefore runs in the mapping workers. It must stay free of native modules: libxmljs2
 * cannot be loaded in a worker thread once the main thread has loaded it, so XML is parsed
 * and written on the caller's side (payload-io.ts), where it is linear and capped.
 */
export type WorkerDefinition =
  | { kind: 'JSONATA'; mapping: JsonataMapping; target?: SchemaField }
  | { kind: 'XSLT'; stylesheet: string; files: Record<string, string> };

export interface Evaluation {
  /** JSONATA: the source document as JSON → the output document; XSLT: XML text → text. */
  run(input: unknown): Promise<unknown>;
}

/** Compiles a definition already checked by compileDefinition (payload-io.ts). */
export function prepareEvaluation(definition: WorkerDefinition): Evaluation {
  if (definition.kind === 'XSLT') {
    const { stylesheet, files } = definition;
    return { run: (input) => runStylesheet(stylesheet, files, String(input)) };
  }
  const mapping = CompiledMapping.compile(definition.mapping, { target: definition.target });
  return { run: (input) => mapping.evaluate(input) };
}
