/**
 * The field tree of a schema (what mappings and the console show), for XSD root elements, WSDL
 * operation messages and JSON Schemas. The builders are in `xsd-structure.ts` and
 * `json-schema-structure.ts`.
 */

/** One field of a schema's structure tree: what mappings and the console show. */
export interface SchemaField {
  /** Slash path of local names: `/Invoice/AccountingSupplierParty/@currencyID`, `/scripts/*`. */
  path: string;
  name: string;
  namespace?: string;
  kind: 'element' | 'attribute' | 'any' | 'property' | 'items' | 'operation' | 'message' | 'part';
  /** `xs:string`, `AmountType`, `string|null`, `object`. */
  type?: string;
  typeNamespace?: string;
  /** XSD cardinality. */
  minOccurs?: number;
  maxOccurs?: number | 'unbounded';
  /** JSON Schema `required`, XSD attribute `use="required"`. */
  required?: boolean;
  /** One alternative of an `xs:choice` / `oneOf` / `anyOf`. */
  choice?: boolean;
  documentation?: string;
  enum?: string[];
  /** Restrictions: pattern, minLength, maxLength, minInclusive, format, … */
  facets?: Record<string, string>;
  /** The type recurs here; its children are those of the ancestor with the same type. */
  recursive?: boolean;
  /** Not expanded further (depth or size cap). */
  truncated?: boolean;
  children?: SchemaField[];
}

export interface SchemaStructure {
  type: 'XSD' | 'WSDL' | 'JSON_SCHEMA';
  roots: SchemaField[];
  /** Named global types (XSD, WSDL types), as `{namespace}name`. */
  types?: string[];
}

export interface StructureOptions {
  maxDepth: number;
  maxNodes: number;
  /**
   * Expand only the subtree at this path (`/Invoice/AccountingSupplierParty`), `maxDepth` levels
   * below it: everything off the way there stays unexpanded. For fields a full tree cuts short.
   */
  under?: string;
}

export { jsonSchemaStructure } from './json-schema-structure';
export { wsdlStructure, xsdStructure } from './xsd-structure';
