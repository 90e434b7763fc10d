/**
 * The mapping engine: the canonical XML ⇄ JSON view driven by a schema structure, JSONata rule
 * mappings, XSLT stylesheets, completeness, and running transformations in worker threads under
 * time and memory limits. Framework-free — the API uses it to save and test mappings, the flow
 * runtime to run them — so it imports no Nest, TypeORM or database, and throws its own plain
 * errors (MappingCompileError, MappingRuntimeError, MappingLimitError, CanonicalError).
 */

// Canonical XML ⇄ JSON.
export {
  ATTRIBUTE_PREFIX,
  MIXED_KEY,
  TEXT_KEY,
  type CanonicalOptions,
  type ValueKind,
} from './canonical/canonical-fields';
export { CanonicalError } from './canonical/canonical-error';
export { xmlToJson, type JsonObject, type JsonValue } from './canonical/xml-to-json';
export {
  DEFAULT_XML_READ_LIMITS,
  readCanonicalXml,
  type XmlReadLimits,
  type XmlReadOptions,
} from './canonical/xml-reader';
export { jsonToXml, type XmlWriteOptions } from './canonical/json-to-xml';
export { normalisedXml } from './canonical/xml-equivalence';
export { payloadSideOf, xsdExpander, xsdValueTypes } from './canonical/xsd-support';

// JSONata mappings.
export {
  MappingCompileError,
  MappingRuntimeError,
  type JsonataMapping,
  type MappingProblem,
  type MappingRule,
} from './jsonata/mapping-model';
export { CompiledMapping, type MappingStructures } from './jsonata/jsonata-mapping';

// XSLT.
export { CompiledStylesheet } from './xslt/xslt-stylesheet';

// Completeness.
export {
  completeness,
  type CompletenessOptions,
  type CompletenessReport,
  type MissingField,
} from './completeness/completeness';

// Running transformations.
export {
  compileDefinition,
  DEFAULT_TRANSFORM_LIMITS,
  prepareTransform,
  type MappingDefinition,
  type PayloadSide,
  type PreparedTransform,
  type TransformLimits,
} from './run/payload-io';
export {
  MappingLimitError,
  MappingRunner,
  type MappingRunnerOptions,
  type TransformResult,
} from './run/mapping-runner';
