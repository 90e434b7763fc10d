import { type SchemaBundle, type SchemaResolver } from '../bundle/schema-bundle';
import { type SchemaReference } from '../bundle/schema-references';
import { DEFAULT_JSON_LIMITS, type JsonLimits } from '../json-schema/json-safety';
import { JsonSchemaCompiler, type CompiledJsonSchema } from '../json-schema/json-schema-compiler';
import { JsonValidatorPool } from '../json-schema/json-validator-pool';
import { type SchemaProblem } from '../problems/schema-problems';
import {
  jsonSchemaStructure,
  wsdlStructure,
  xsdStructure,
  type SchemaStructure,
  type StructureOptions,
} from '../structure/schema-structure';
import { type CompiledWsdl } from '../wsdl/wsdl-model';
import { WsdlParser } from '../wsdl/wsdl-parser';
import { XmlSafety, type XmlSafetyLimits } from '../xml/xml-safety';
import { XsdCompiler, type CompiledXsd } from '../xsd/xsd-compiler';
import { XsdValidatorPool, type XsdValidatorPoolOptions } from '../xsd/xsd-validator-pool';
import { CompiledSchemaCache, type CompiledSchemaCacheOptions } from './compiled-schema-cache';
import {
  PayloadValidator,
  type JsonValidationResult,
  type PayloadValidatorOptions,
  type XmlValidationResult,
} from './payload-validator';

/** A compiled schema of any type. */
export type CompiledSchema =
  | { type: 'XSD'; xsd: CompiledXsd }
  | { type: 'WSDL'; wsdl: CompiledWsdl }
  | { type: 'JSON_SCHEMA'; json: CompiledJsonSchema };

export interface SchemaCompileOptions {
  resolver?: SchemaResolver;
  /** Keep XSD/WSDL types compiled in the validator pool (default true; false = check only). */
  keep?: boolean;
  /** WSDL: turn the lenient warnings into errors. */
  strict?: boolean;
}

/** What a version needs to be compiled: its content and how to find other library schemas. */
export interface SchemaSource {
  bundle: SchemaBundle;
  resolver?: SchemaResolver;
}

export interface SchemaEngineOptions {
  /** Worker threads (XSD and JSON Schema pools each) and their time limits. */
  pool: Partial<XsdValidatorPoolOptions>;
  cache: Partial<CompiledSchemaCacheOptions>;
  /** Caps for schema documents (payload caps are under `payload`). */
  xml: Partial<XmlSafetyLimits>;
  json: Partial<JsonLimits>;
  payload: Partial<PayloadValidatorOptions>;
}

/**
 * Everything the schema library does with schemas, behind one object for its caller (the API's
 * schema library service, the flow runtime's worker) to hold: compile (check on save; references for dependency rows), validate payloads against
 * cached compiled versions, describe structure. Create one per process; `close()` on shutdown.
 */
export class SchemaEngine {
  readonly pool: XsdValidatorPool;
  readonly jsonPool: JsonValidatorPool;
  readonly xsd: XsdCompiler;
  readonly wsdl: WsdlParser;
  readonly json: JsonSchemaCompiler;
  readonly payloads: PayloadValidator;
  readonly cache: CompiledSchemaCache<CompiledSchema>;

  constructor(options: Partial<SchemaEngineOptions> = {}) {
    const safety = new XmlSafety(options.xml);
    this.pool = new XsdValidatorPool(options.pool);
    this.xsd = new XsdCompiler(this.pool, safety);
    this.wsdl = new WsdlParser(this.xsd, safety);
    this.json = new JsonSchemaCompiler({ ...DEFAULT_JSON_LIMITS, ...options.json });
    const { workers, validateTimeoutMs, compileTimeoutMs } = options.pool ?? {};
    this.jsonPool = new JsonValidatorPool({
      ...(workers !== undefined && { workers }),
      ...(validateTimeoutMs !== undefined && { validateTimeoutMs }),
      ...(compileTimeoutMs !== undefined && { compileTimeoutMs }),
      limits: { ...DEFAULT_JSON_LIMITS, ...options.payload?.json },
      ...(options.payload?.maxErrors !== undefined && { maxErrors: options.payload.maxErrors }),
    });
    this.payloads = new PayloadValidator(this.pool, this.jsonPool, options.payload);
    this.cache = new CompiledSchemaCache<CompiledSchema>(
      (c) => estimatedBytes(c),
      (c) => this.release(c),
      options.cache,
    );
  }

  /** Compiles a bundle; throws SchemaInvalidError with every problem. */
  async compile(bundle: SchemaBundle, options: SchemaCompileOptions = {}): Promise<CompiledSchema> {
    switch (bundle.type) {
      case 'XSD':
        return { type: 'XSD', xsd: await this.xsd.compile(bundle, options) };
      case 'WSDL':
        return { type: 'WSDL', wsdl: await this.wsdl.parse(bundle, options) };
      case 'JSON_SCHEMA':
        return { type: 'JSON_SCHEMA', json: await this.json.compile(bundle, options) };
    }
  }

  /**
   * Runs `use` with the compiled schema of a version (`key`, e.g. `assetId@version`), compiling
   * it from `load()` once and caching it.
   */
  withCompiled<R>(
    key: string,
    load: () => Promise<SchemaSource>,
    use: (compiled: CompiledSchema) => R | Promise<R>,
  ): Promise<R> {
    return this.cache.use(
      key,
      async () => {
        const source = await load();
        return this.compile(source.bundle, { resolver: source.resolver, keep: true });
      },
      use,
    );
  }

  /**
   * Validates a payload against a version. `root`: an XSD global element (`Invoice` or
   * `{ns}Invoice`); for a WSDL the message (`GetWeatherRequest`, `GetWeather/input`). A JSON
   * payload may come already parsed (`{ value }`); XML always as text.
   */
  validate(
    key: string,
    load: () => Promise<SchemaSource>,
    payload: string | { value: unknown },
    options: { root?: string } = {},
  ): Promise<XmlValidationResult | JsonValidationResult> {
    return this.withCompiled(key, load, (compiled) => {
      if (compiled.type === 'JSON_SCHEMA')
        return this.payloads.validateJson(compiled.json, payload);
      if (typeof payload !== 'string') {
        return { valid: false, errors: [{ message: `a ${compiled.type} validates XML text` }] };
      }
      switch (compiled.type) {
        case 'XSD':
          return this.payloads.validateXml(compiled.xsd, payload, { root: options.root });
        case 'WSDL':
          if (!options.root) {
            return {
              valid: false,
              errors: [
                {
                  message:
                    'name the message to validate against (root=MessageName or operation/input)',
                },
              ],
            };
          }
          return this.payloads.validateWsdlMessage(compiled.wsdl, payload, options.root);
      }
    });
  }

  structure(
    compiled: CompiledSchema,
    options: Partial<StructureOptions> & { root?: string } = {},
  ): SchemaStructure {
    switch (compiled.type) {
      case 'XSD':
        return xsdStructure(compiled.xsd, options);
      case 'WSDL':
        return wsdlStructure(compiled.wsdl, options);
      case 'JSON_SCHEMA':
        return jsonSchemaStructure(compiled.json, options);
    }
  }

  references(compiled: CompiledSchema): SchemaReference[] {
    return compiled.type === 'XSD'
      ? compiled.xsd.references
      : compiled.type === 'WSDL'
        ? compiled.wsdl.references
        : compiled.json.references;
  }

  warnings(compiled: CompiledSchema): SchemaProblem[] {
    return compiled.type === 'XSD'
      ? compiled.xsd.warnings
      : compiled.type === 'WSDL'
        ? compiled.wsdl.warnings
        : compiled.json.warnings;
  }

  /** Frees what a compile keeps in the validator pools (the cache does this on eviction). */
  release(compiled: CompiledSchema): void {
    if (compiled.type === 'JSON_SCHEMA') {
      this.jsonPool.release(compiled.json.workerKey);
      return;
    }
    const key =
      compiled.type === 'XSD'
        ? compiled.xsd.engineKey
        : compiled.type === 'WSDL'
          ? compiled.wsdl.schema?.engineKey
          : undefined;
    if (key) this.pool.release(key);
  }

  /** Forgets cached versions: one key, or every key with this prefix (`assetId@`). */
  invalidate(keyOrPrefix: string, prefix = false): void {
    if (prefix) this.cache.invalidatePrefix(keyOrPrefix);
    else this.cache.invalidate(keyOrPrefix);
  }

  async close(): Promise<void> {
    this.cache.clear();
    await Promise.all([this.pool.close(), this.jsonPool.close()]);
  }
}

function estimatedBytes(compiled: CompiledSchema): number {
  switch (compiled.type) {
    case 'XSD':
      return compiled.xsd.estimatedBytes;
    case 'WSDL':
      return compiled.wsdl.estimatedBytes;
    case 'JSON_SCHEMA':
      return compiled.json.estimatedBytes;
  }
}
