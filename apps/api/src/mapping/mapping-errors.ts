import { type ProblemFieldError } from '@integrixs/domain';
import { type MappingProblem } from '@integrixs/mapping-engine';

import { AppError } from '../core/errors/app-error';
import { type MappingContent } from './mapping-content';

/**
 * 422: the mapping does not compile, or a schema it names cannot be used. `errors[]` has one
 * entry per problem with the body field it is about (`rules[2].expression`, `stylesheet`,
 * `sourceSchema.assetId`); `problems[]` the engine's located problems (rule, position, file:line).
 */
export class MappingInvalidError extends AppError {
  readonly status = 422;
  readonly code = 'mapping_invalid';
  readonly title = 'The mapping is not valid';

  constructor(errors: ProblemFieldError[], problems: MappingProblem[] = []) {
    super(
      errors
        .slice(0, 5)
        .map((e) => `${e.path}: ${e.message}`)
        .join('; '),
    );
    this.errors.push(...errors);
    this.extensions['problems'] = problems;
  }

  /** The engine's compile problems, each named by the body field it is in. */
  static compile(problems: MappingProblem[], content: MappingContent): MappingInvalidError {
    const errors = problems.map((p) => ({
      path: fieldOf(p, content),
      code: p.code,
      message: p.position !== undefined ? `${p.message} (position ${p.position})` : p.message,
    }));
    return new MappingInvalidError(errors, problems);
  }
}

/** `rules[2]` → `rules[2].expression` (or `.target`), `document`, `file:line` → the file field. */
function fieldOf(problem: MappingProblem, content: MappingContent): string {
  const { location, code } = problem;
  if (/^rules\[\d+\]$/.test(location))
    return `${location}.${code === 'unknown_target' ? 'target' : 'expression'}`;
  if (location === 'document') return 'documentExpression';
  if (content.kind === 'JSONATA') return location === 'mapping' ? 'rules' : location;
  const file = location.replace(/:\d+$/, '');
  if (file === 'stylesheet') return 'stylesheet';
  const index = content.files.findIndex((f) => f.path === file);
  return index >= 0 ? `files[${index}].text` : 'stylesheet';
}
