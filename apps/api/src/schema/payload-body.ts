import { type FastifyInstance, type FastifyRequest } from 'fastify';

import { UnsupportedMediaTypeError } from '../core/errors/app-error';

/** A payload to validate, as the client sent it. */
export type Payload = { kind: 'xml'; text: string } | { kind: 'json'; value: unknown };

const XML_MEDIA_TYPE = /^(?:application|text)\/(?:[\w.-]+\+)?xml$/;
/** The same, as Fastify matches parsers: against the whole header, parameters included. */
const XML_CONTENT_TYPE = /^(?:application|text)\/(?:[\w.-]+\+)?xml\s*(?:;.*)?$/i;

/** Routes that take a raw XML body (everything else is JSON only). */
const XML_ROUTES = /\/schemas\/:schemaId\/validate$/;

function mediaTypeOf(request: FastifyRequest): string {
  return String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

/**
 * Lets the payload-validation route read XML bodies as text (within the global body cap). Any
 * other route answers an XML body with 415, as before.
 */
export function registerXmlBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    XML_CONTENT_TYPE,
    { parseAs: 'string' },
    (
      request: FastifyRequest,
      body: string | Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => {
      if (XML_ROUTES.test(request.routeOptions.url ?? '')) done(null, body);
      else
        done(
          new UnsupportedMediaTypeError('send the body as application/json', 'application/json'),
        );
    },
  );
}

/** The payload of a validation request: XML as text, JSON as Fastify parsed it. */
export function payloadOf(request: FastifyRequest): Payload {
  const type = mediaTypeOf(request);
  if (XML_MEDIA_TYPE.test(type) && typeof request.body === 'string') {
    return { kind: 'xml', text: request.body };
  }
  if (type === 'application/json' && request.body !== undefined) {
    return { kind: 'json', value: request.body };
  }
  throw new UnsupportedMediaTypeError(
    'send the payload as the body: application/xml (or text/xml, +xml) for XSD and WSDL schemas, application/json for JSON Schemas',
    'application/xml or application/json',
  );
}
