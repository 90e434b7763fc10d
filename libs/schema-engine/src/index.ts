/**
 * The schema engine: XSD (libxml2-wasm in worker threads), WSDL, JSON Schema (ajv), XML safety,
 * structure trees and diffs. Framework-free on purpose — the API uses it for uploads, validation
 * and previews, the flow runtime's worker to validate payloads — so it imports no Nest, no
 * TypeORM, no database and none of the API's errors: it throws its own plain errors
 * (SchemaInvalidError, PayloadTooComplexError), and each caller decides how to answer them.
 *
 * Most callers need only {@link SchemaEngine}; the compilers, pools and validators are exported
 * for callers that assemble their own (tests, benchmarks, the worker).
 */

// The facade: compile (cached), validate, structure.
export {
  SchemaEngine,
  type CompiledSchema,
  type SchemaCompileOptions,
  type SchemaEngineOptions,
  type SchemaSource,
} from './engine/schema-engine';
export {
  CompiledSchemaCache,
  type CompiledSchemaCacheOptions,
} from './engine/compiled-schema-cache';
export {
  PayloadValidator,
  type JsonPayloadError,
  type JsonValidationResult,
  type PayloadValidatorOptions,
  type XmlPayloadError,
  type XmlValidationResult,
} from './engine/payload-validator';

// What goes wrong, located.
export {
  PayloadTooComplexError,
  problemLocation,
  SchemaInvalidError,
  sortProblems,
  type SchemaProblem,
  type SchemaProblemCode,
} from './problems/schema-problems';

// Upload bundles (files or a zip) and what a schema refers to.
export {
  bundleFile,
  bundleFromZip,
  createBundle,
  DEFAULT_BUNDLE_LIMITS,
  mainFile,
  type BundleInput,
  type BundleLimits,
  type LibrarySchema,
  type SchemaBundle,
  type SchemaFile,
  type SchemaResolver,
  type SchemaType,
  type ZipBundleInput,
} from './bundle/schema-bundle';
export {
  libraryDependencies,
  type SchemaReference,
  type SchemaReferenceKind,
  type SchemaReferenceTarget,
} from './bundle/schema-references';

// XSD.
export { XsdCompiler, type CompiledXsd, type XsdCompileOptions } from './xsd/xsd-compiler';
export {
  XsdValidatorPool,
  type XsdEngineDiagnostic,
  type XsdValidateOptions,
  type XsdValidatorPoolOptions,
} from './xsd/xsd-validator-pool';

// WSDL.
export { WsdlParser, type WsdlParseOptions } from './wsdl/wsdl-parser';
export type {
  CompiledWsdl,
  SoapVersion,
  WsdlEndpoint,
  WsdlMessage,
  WsdlOperation,
  WsdlOperationMessage,
  WsdlPart,
  WsdlService,
} from './wsdl/wsdl-model';

// JSON Schema.
export {
  JsonSchemaCompiler,
  type CompiledJsonSchema,
  type JsonSchemaCompileOptions,
  type JsonSchemaDraft,
} from './json-schema/json-schema-compiler';
export {
  JsonValidatorPool,
  type JsonValidatorPoolOptions,
} from './json-schema/json-validator-pool';
export { DEFAULT_JSON_LIMITS, parseJson, type JsonLimits } from './json-schema/json-safety';

// XML safety (DTDs, entities, XInclude, size and depth) before anything parses a document.
export {
  DEFAULT_XML_SAFETY_LIMITS,
  SAFE_PARSE_OPTIONS,
  XmlSafety,
  type XmlSafetyLimits,
} from './xml/xml-safety';

// Structure trees and diffs.
export {
  jsonSchemaStructure,
  wsdlStructure,
  xsdStructure,
  type SchemaField,
  type SchemaStructure,
  type StructureOptions,
} from './structure/schema-structure';
export { subtree } from './structure/structure-focus';
export {
  diffSchemas,
  diffStructures,
  diffText,
  type SchemaChange,
  type SchemaDiff,
  type SchemaVersionView,
} from './diff/schema-diff';

export {
  WorkerPool,
  type WorkerKind,
  type WorkerPoolOptions,
  type WorkerReply,
} from './workers/worker-pool';
export { startModuleWorker } from './workers/module-worker';
