import {
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError as ClassValidationError,
  type Type,
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
const OPTIONAL_BODIES = new WeakSet<object>();

/**
 * Marks a body DTO whose every field is optional as one a request may leave out entirely: a
 * missing body is then validated as `{}` (a union type such as `Dto | undefined` would skip
 * validation altogether, since the pipe sees no class).
 */
export function OptionalBody(): ClassDecorator {
  return (target) => {
    OPTIONAL_BODIES.add(target);
  };
}

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
    if (value === undefined && metadata.type === 'body' && metadata.metatype)
      if (OPTIONAL_BODIES.has(metadata.metatype)) value = {};
    const isDto = typeof metadata.metatype === 'function' && this.toValidate(metadata);
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw ValidationError.of(metadata.type, 'must be a JSON object', 'type');
      }
      if (metadata.type === 'query') {
        const nul = nulInQuery(value);
        if (nul.length > 0) throw new ValidationError(nul);
        return this.validQuery(value, metadata);
      }
    }
    return super.transform(value, metadata);
  }

  /**
   * Query DTOs, remembered by their exact input once they passed: converting and validating is
   * deterministic, and lists are asked for with the same few queries over and over, while
   * class-transformer and class-validator cost more CPU than the rest of a cheap read. A query
   * that fails is never remembered (it is validated, and refused, every time); a result holding
   * anything but strings, numbers, booleans or arrays of them is not either. Each request gets
   * its own copy.
   */
  private async validQuery(value: object, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as Type;
    let cache = this.validQueries.get(metatype);
    if (cache === undefined) {
      cache = new Map();
      this.validQueries.set(metatype, cache);
    }
    const key = JSON.stringify(value);
    const known = cache.get(key);
    if (known !== undefined) return copyOf(known, metatype);
    const valid = (await super.transform(value, metadata)) as Record<string, unknown>;
    if (Object.values(valid).every(isPlainValue)) {
      if (cache.size >= VALID_QUERIES_MAX) cache.clear();
      cache.set(key, copyOf(valid, metatype));
    }
    return valid;
  }

  private readonly validQueries = new WeakMap<Type, Map<string, Record<string, unknown>>>();
}

/** Remembered valid queries per DTO class (then that class's memory starts over). */
const VALID_QUERIES_MAX = 1_000;

function isPlainValue(value: unknown): boolean {
  if (Array.isArray(value))
    return value.every((item) => isPlainValue(item) && !Array.isArray(item));
  return value === undefined || ['string', 'number', 'boolean'].includes(typeof value);
}

/** A fresh DTO instance with `valid`'s own properties (arrays copied too). */
function copyOf(valid: Record<string, unknown>, metatype: Type): Record<string, unknown> {
  const copy = Object.create(metatype.prototype as object) as Record<string, unknown>;
  for (const [name, item] of Object.entries(valid))
    copy[name] = Array.isArray(item) ? [...(item as unknown[])] : item;
  return copy;
}
