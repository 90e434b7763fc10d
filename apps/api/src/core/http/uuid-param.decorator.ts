import { Param, ParseUUIDPipe } from '@nestjs/common';

import { ValidationError } from '../errors/app-error';

/** A path parameter that must be a UUID; anything else is a 400 naming the parameter. */
export function UuidParam(name: string): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => ValidationError.of(name, 'must be a UUID', 'uuid'),
    }),
  );
}
