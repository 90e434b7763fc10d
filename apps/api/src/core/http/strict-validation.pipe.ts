import {
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError as ClassValidationError,
} from '@nestjs/common';

import { type ProblemFieldError } from '@integrixs/domain';

import { ValidationError } from '../errors/app-error';

/** `tags.0.name` → `tags[0].name`: the notation users see in problem `errors[].path`. */
function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** class-validator's own messages start with the property's name ("limit must …"); ours do not. */
function withoutName(message: string, error: ClassValidationError): string {
  const prefix = `${error.property} `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function flatten(errors: ClassValidationError[], parent = ''): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const path = joinPath(parent, error.property);
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({
      path,
      code: code === 'whitelistValidation' ? 'unknown_field' : code,
      message:
        code === 'whitelistValidation' ? 'is not a known field' : withoutName(message, error),
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Query parameters carrying NUL, which PostgreSQL text cannot hold: refused here, naming each,
 * for every query DTO at once (bodies check it per field: TextField, IsStorableJson).
 */
function nulInQuery(query: object): ProblemFieldError[] {
  return Object.entries(query)
    .filter(([, value]) =>
      (Array.isArray(value) ? value : [value]).some(
        (item) => typeof item === 'string' && item.includes('\u0000'),
      ),
    )
    .map(([name]) => ({ path: name, code: 'matches', message: 'must not contain NUL characters' }));
}

/**
 * The global validation pipe: DTO classes are the contract. Unknown fields are rejected, types
 * are converted only where a DTO says so, and every failure becomes one 400 problem listing
 * every field path at once.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationError(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && this.toValidate(metadata);
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw ValidationError.of(metadata.type, 'must be a JSON object', 'type');
      }
      if (metadata.type === 'query') {
        const nul = nulInQuery(value);
        if (nul.length > 0) throw new ValidationError(nul);
      }
    }
    return super.transform(value, metadata);
  }
}
