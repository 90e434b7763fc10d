import jsonata, { type Expression } from 'jsonata';

import {
  MappingRunner,
  payloadSideOf,
  xmlToJson,
  type MappingDefinition,
  type PayloadSide,
} from '@integrixs/mapping-engine';
import { SchemaEngine, type CompiledSchema } from '@integrixs/schema-engine';

import { type DeploymentAssets, type PinnedMapping, type PinnedSchema } from './deployment-assets';

/** How deep an XSD root is built up front; deeper fields are expanded on demand (as the API). */
const MAX_CACHED = 500;

export interface EngineOptions {
  schemaWorkers?: number;
  schemaValidationTimeoutMs?: number;
  mappingWorkers?: number;
  mappingTimeoutMs?: number;
  mappingMaxMemoryMb?: number;
  maxPayloadBytes?: number;
}

/** A failure the same input would hit again: retrying it cannot help (dead-lettered at once). */
export class PermanentStepError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PermanentStepError';
  }
}

/** Small LRU of promises: a failed one is forgotten so the next call tries again. */
class PromiseCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(
    private readonly max: number,
    private readonly evicted?: (key: string) => void,
  ) {}

  get(key: string, make: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry;
    }
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        this.entries.delete(oldest.value);
        this.evicted?.(oldest.value);
      }
    }
    entry = make();
    this.entries.set(key, entry);
    entry.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry;
  }
}

/**
 * The schema and mapping engines as the runtime uses them: schema versions compiled once per
 * (asset, version, pinned imports) in the schema engine's cache and validated in its worker
 * pools; mappings prepared once per (mapping version, schema sides) and run in the mapping
 * engine's worker threads under its time and memory limits, off the event loop; route
 * predicates compiled once per expression.
 */
export class RuntimeEngines {
  readonly schemas: SchemaEngine;
  readonly mappings: MappingRunner;
  private readonly sides = new PromiseCache<PayloadSide | undefined>(MAX_CACHED);
  private readonly prepared: PromiseCache<void>;
  private readonly predicates = new Map<string, Expression>();

  constructor(options: EngineOptions = {}) {
    this.schemas = new SchemaEngine({
      pool: {
        ...(options.schemaWorkers !== undefined && { workers: options.schemaWorkers }),
        ...(options.schemaValidationTimeoutMs !== undefined && {
          validateTimeoutMs: options.schemaValidationTimeoutMs,
        }),
      },
    });
    this.mappings = new MappingRunner({
      ...(options.mappingWorkers !== undefined && { workers: options.mappingWorkers }),
      ...(options.mappingTimeoutMs !== undefined && { timeoutMs: options.mappingTimeoutMs }),
      ...(options.mappingMaxMemoryMb !== undefined && {
        maxMemoryMb: options.mappingMaxMemoryMb,
      }),
      ...(options.maxPayloadBytes !== undefined && { maxInputBytes: options.maxPayloadBytes }),
    });
    this.prepared = new PromiseCache<void>(MAX_CACHED, (key) => this.mappings.release(key));
  }

  async validate(
    schema: PinnedSchema,
    root: string | null | undefined,
    text: string,
  ): Promise<{ valid: boolean; errors: { path?: string; message: string; line?: number }[] }> {
    const result = await this.schemas.validate(schema.key, schema.load, text, {
      root: root ?? undefined,
    });
    return { valid: result.valid, errors: result.errors };
  }

  /** The engine's view of a schema version as one side of a mapping (or of a route's input). */
  side(schema: PinnedSchema, root: string | null): Promise<PayloadSide | undefined> {
    return this.sides.get(`${schema.key}|${root ?? ''}`, () =>
      this.schemas.withCompiled(schema.key, schema.load, (compiled) => this.sideOf(compiled, root)),
    );
  }

  /** Runs a mapping version on `input` (prepared once per key, in the mapping workers). */
  async transform(
    deployment: DeploymentAssets,
    mapping: PinnedMapping,
    input: string,
  ): Promise<{ output: string; target: PayloadSide }> {
    const sourceSchema = this.schemaOf(deployment, mapping.sourceSchema);
    const targetSchema = this.schemaOf(deployment, mapping.targetSchema);
    const source = await this.side(sourceSchema, mapping.sourceSchema.root);
    const target = await this.side(targetSchema, mapping.targetSchema.root);
    if (!source || !target)
      throw new PermanentStepError(
        `the schemas of mapping ${mapping.assetId} v${mapping.version} have no root to map`,
        'mapping_invalid',
      );
    const key = `runtime:${mapping.assetId}@${mapping.version}|${sourceSchema.key}|${mapping.sourceSchema.root ?? ''}|${targetSchema.key}|${mapping.targetSchema.root ?? ''}`;
    await this.prepared.get(key, async () => {
      await this.mappings.prepare(key, definitionOf(mapping, source, target));
    });
    const result = await this.mappings.transform(key, input);
    return { output: result.output, target };
  }

  /** The value a route's predicates see: the JSON payload, or an XML payload's canonical JSON. */
  routeInput(text: string, side: PayloadSide | undefined, contentType: string): unknown {
    if (isJson(contentType, text)) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new PermanentStepError('the message is not valid JSON', 'input_unreadable');
      }
    }
    if (!side?.root)
      throw new PermanentStepError(
        'an XML message reaches a route without a schema before it (validate or map): its predicates cannot read it',
        'input_unreadable',
      );
    return xmlToJson(text, side.root, { types: side.types, expand: side.expand });
  }

  /** The first branch whose predicate holds, else the default branch. */
  async route(
    routes: { branch: string; when: string }[],
    defaultBranch: string | null | undefined,
    input: unknown,
  ): Promise<{ branch: string; matched: boolean }> {
    for (const route of routes) {
      let expression = this.predicates.get(route.when);
      if (!expression) {
        try {
          expression = jsonata(route.when);
        } catch (error) {
          throw new PermanentStepError(
            `the predicate of branch "${route.branch}" does not compile: ${(error as Error).message}`,
            'expression_invalid',
          );
        }
        if (this.predicates.size >= MAX_CACHED) this.predicates.clear();
        this.predicates.set(route.when, expression);
      }
      let value: unknown;
      try {
        value = await expression.evaluate(input);
      } catch (error) {
        throw new PermanentStepError(
          `the predicate of branch "${route.branch}" failed: ${(error as Error).message}`,
          'expression_failed',
        );
      }
      if (truthy(value)) return { branch: route.branch, matched: true };
    }
    if (!defaultBranch)
      throw new PermanentStepError(
        'no predicate matched and the route has no default branch',
        'no_branch',
      );
    return { branch: defaultBranch, matched: false };
  }

  schemaOf(deployment: DeploymentAssets, ref: { assetId: string; version: number }): PinnedSchema {
    const schema = deployment.schemas.get(`${ref.assetId.toLowerCase()}@${ref.version}`);
    if (!schema) throw new Error(`schema ${ref.assetId} v${ref.version} is not pinned`);
    return schema;
  }

  async close(): Promise<void> {
    await Promise.all([this.mappings.close(), this.schemas.close()]);
  }

  private sideOf(compiled: CompiledSchema, root: string | null): PayloadSide | undefined {
    return payloadSideOf(this.schemas, compiled, root);
  }
}

/** JSONata truthiness as a predicate: false, null, undefined, 0, '' and empty arrays fail. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthy);
  return Boolean(value);
}

export function isJson(contentType: string, text: string): boolean {
  if (/json/i.test(contentType)) return true;
  if (/xml/i.test(contentType)) return false;
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

/** The engine's definition of a mapping between two sides (as the API's definitionOf). */
function definitionOf(
  mapping: PinnedMapping,
  source: PayloadSide,
  target: PayloadSide,
): MappingDefinition {
  if (mapping.kind === 'XSLT')
    return {
      kind: 'XSLT',
      stylesheet: mapping.stylesheet ?? '',
      files: Object.fromEntries(mapping.files.map((f) => [f.path, f.text])),
      source,
      target,
    };
  return {
    kind: 'JSONATA',
    mapping: {
      rules: mapping.rules,
      ...(mapping.documentExpression !== null ? { document: mapping.documentExpression } : {}),
    },
    source,
    target,
  };
}
