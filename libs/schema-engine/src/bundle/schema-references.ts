/** What a schema refers to, as found while compiling it: the raw material of dependency rows. */

export type SchemaReferenceKind =
  'xsd:import' | 'xsd:include' | 'xsd:redefine' | 'wsdl:import' | '$ref';

export type SchemaReferenceTarget =
  /** Another file of the same bundle. */
  | { scope: 'bundle'; path: string }
  /** Another library schema, as the resolver named it (`LibrarySchema.ref`). */
  | { scope: 'library'; ref: string; path: string }
  /** A schema shipped with the engine (SOAP encoding, the xml: namespace). */
  | { scope: 'builtin'; name: string };

export interface SchemaReference {
  kind: SchemaReferenceKind;
  /** Bundle path of the referring file, and where in it. */
  file: string;
  line?: number;
  pointer?: string;
  /** As written: `schemaLocation` / `location` / `$ref`. */
  location?: string;
  namespace?: string;
  target: SchemaReferenceTarget;
}

/** The distinct library schemas a compile used: one dependency row each. */
export function libraryDependencies(references: SchemaReference[]): string[] {
  const refs = new Set<string>();
  for (const reference of references) {
    if (reference.target.scope === 'library') refs.add(reference.target.ref);
  }
  return [...refs].sort();
}
