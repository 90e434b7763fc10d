/**
 * A JSONata mapping as it is stored: rules `target field path ← expression`, and/or one
 * whole-document expression whose result is the starting output (rules then set their fields
 * on it). Target paths are the target structure's paths, as the console shows them
 * (`/Invoice/ID`, `/Invoice/ID/@schemeID`, `/lines[]/amount`).
 */
export interface MappingRule {
  target: string;
  expression: string;
}

export interface JsonataMapping {
  rules?: MappingRule[];
  /** A whole-document expression: covers every target field. */
  document?: string;
}

/** Where a problem is: a rule (by index, with its target) or the whole-document expression. */
export interface MappingProblem {
  /** `rules[2]` or `document`. */
  location: string;
  target?: string;
  /** Character offset in the expression (JSONata's position: just past the offending token). */
  position?: number;
  /** For a reference warning: the source field path that does not exist. */
  path?: string;
  code: 'syntax_error' | 'unknown_target' | 'unknown_source_field' | 'empty_mapping';
  message: string;
}

/** Saving a mapping whose expressions do not compile: every problem, located. */
export class MappingCompileError extends Error {
  override readonly name = 'MappingCompileError';

  constructor(readonly problems: MappingProblem[]) {
    super(
      `the mapping does not compile: ${problems
        .slice(0, 3)
        .map((p) => `${p.location}: ${p.message}`)
        .join('; ')}`,
    );
  }
}

/** A transformation that failed while running: a JSONata runtime error, a bad output value. */
export class MappingRuntimeError extends Error {
  override readonly name = 'MappingRuntimeError';

  constructor(
    message: string,
    readonly location?: string,
    readonly position?: number,
  ) {
    super(location ? `${location}: ${message}` : message);
  }
}
