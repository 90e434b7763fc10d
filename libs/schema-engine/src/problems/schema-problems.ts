/** What kind of problem a schema (or an upload bundle) has; stable, used by clients. */
export type SchemaProblemCode =
  /** Bundle structure: paths, caps, main file, zip. */
  | 'bundle_invalid'
  /** Rejected by the XML safety checks before parsing (DTD entities, XInclude, size, depth). */
  | 'xml_unsafe'
  /** Not well-formed XML, or not JSON. */
  | 'syntax_error'
  /** An import, include, wsdl:import or $ref that is neither in the bundle nor in the library. */
  | 'reference_unresolved'
  /** A WSDL QName reference (message, part element/type, portType, binding) to nothing. */
  | 'definition_missing'
  /** The schema compiler (libxml2 or ajv) refused the schema. */
  | 'schema_invalid';

/** One problem, located as precisely as the source allows. */
export interface SchemaProblem {
  /** Bundle path of the file the problem is in. */
  file?: string;
  line?: number;
  column?: number;
  /** JSON pointer inside `file` (JSON Schema). */
  pointer?: string;
  message: string;
  code: SchemaProblemCode;
}

/** Where a problem is, as one string: `file:line:column` or `file#pointer`. */
export function problemLocation(problem: SchemaProblem): string {
  const file = problem.file ?? '';
  if (problem.pointer !== undefined) return `${file}#${problem.pointer}`;
  if (problem.line === undefined) return file;
  return problem.column ? `${file}:${problem.line}:${problem.column}` : `${file}:${problem.line}`;
}

/** Orders problems by file, then position, for a stable report. */
export function sortProblems(problems: SchemaProblem[]): SchemaProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/**
 * A schema (or bundle) cannot be accepted. Carries **every** problem found. A plain error: the
 * engine knows nothing of HTTP; the API answers it as 422 problem+json with one `errors` entry
 * per problem (core/errors/schema-engine-problem.ts), a worker can record it as it is.
 */
export class SchemaInvalidError extends Error {
  override readonly name = 'SchemaInvalidError';
  readonly problems: SchemaProblem[];

  constructor(problems: SchemaProblem[]) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
    super(first ? `${prefix(first)}${first.message}${more}` : 'the schema is not valid');
    this.problems = problems;
  }
}

function prefix(problem: SchemaProblem): string {
  const where = problemLocation(problem);
  return where ? `${where}: ` : '';
}

/** Validating one payload took longer than the configured limit (a pathological document). */
export class PayloadTooComplexError extends Error {
  override readonly name = 'PayloadTooComplexError';

  constructor(readonly limitMs: number) {
    super(`validation did not finish within ${limitMs} ms; the payload was abandoned`);
  }
}
