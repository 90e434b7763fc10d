import { RouteSchema } from '@nestjs/platform-fastify';

/**
 * Fastify response schemas for the hot read routes: with one, Fastify serialises the answer with
 * fast-json-stringify (compiled once per route) instead of JSON.stringify. A schema is also a
 * contract: every property it requires must be present (a missing one fails the request rather
 * than silently changing the answer), and properties it does not name are left out, so
 * apps/api/test/response-schemas.spec.ts checks each against the OpenAPI document of its DTO.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

export const STRING: JsonSchema = { type: 'string' };
export const NULLABLE_STRING: JsonSchema = { type: ['string', 'null'] };
export const INTEGER: JsonSchema = { type: 'integer' };
export const BOOLEAN: JsonSchema = { type: 'boolean' };
export const STRINGS: JsonSchema = { type: 'array', items: STRING };

/** An object with exactly these properties, all required. */
export function objectSchema(properties: Record<string, JsonSchema>, nullable = false): JsonSchema {
  return {
    type: nullable ? ['object', 'null'] : 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

export function arraySchema(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

/** Identity, version and audit stamps (AuditedDto), first in every resource view. */
export const AUDITED_PROPERTIES: Record<string, JsonSchema> = {
  id: STRING,
  version: INTEGER,
  createdAt: STRING,
  updatedAt: STRING,
  createdBy: STRING,
  updatedBy: STRING,
};

/** `{ items, total, totalIsEstimate, nextCursor }` (CountedPageOf). */
export function countedPageSchema(item: JsonSchema): JsonSchema {
  return objectSchema({
    items: arraySchema(item),
    total: INTEGER,
    totalIsEstimate: BOOLEAN,
    nextCursor: NULLABLE_STRING,
  });
}

/** The route's 200 answer is serialised with `schema` (see above). */
export function OkResponseSchema(schema: JsonSchema): MethodDecorator {
  return RouteSchema({ response: { 200: schema } });
}
