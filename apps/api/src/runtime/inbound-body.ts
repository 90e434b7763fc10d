import {
  type FastifyInstance,
  type FastifyRequest,
  type onRequestHookHandler,
  type preParsingAsyncHookHandler,
} from 'fastify';

import { UnauthenticatedError, UnsupportedMediaTypeError } from '../core/errors/app-error';
import { type Principal } from '../identity/principal';
import { MessageTooLargeError } from './runtime-errors';

/** The inbound route as Fastify registers it (global prefix included). */
export const INBOUND_ROUTE = '/api/runtime/inbound/:flowKey/:environment';

/** What a body without a content type is stored as. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The media type the inbound route's bodies are parsed under, whatever the client sent: a name
 * no client uses, so no other parser (JSON with its depth cap, XML, 415 for the rest) sees them.
 */
const INBOUND_MEDIA_TYPE = 'application/x-integrixs-inbound-message';

declare module 'fastify' {
  interface FastifyRequest {
    /** The inbound route only: the Content-Type the client sent (the body is its raw bytes). */
    inboundContentType: string;
  }
}

/** Reads the body as bytes, refusing it (413) once it passes `limit`, before reading the rest. */
async function readBytes(request: FastifyRequest, body: AsyncIterable<Buffer>, limit: number) {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new MessageTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new MessageTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Inbound messages (POST /api/runtime/inbound/{flowKey}/{environment}) are raw bytes of any
 * content type up to `maxBytes` (RUNTIME_MAX_PAYLOAD_BYTES), stored as they came. Fastify picks a
 * body parser by media type for the whole server, so this route alone gets a hook that moves the
 * client's Content-Type aside (into `request.inboundContentType`) and parses the body under a
 * private media type; every other route keeps the JSON-only parsers and MAX_BODY_BYTES, and a
 * client naming the private type elsewhere gets 415. Must run before Nest registers the routes.
 *
 * The caller is authenticated before the body is read (`authenticate`, the same check the
 * global guard makes, which then reuses the principal), so nobody without a valid token makes
 * the server read megabytes; a refused caller's body is not read at all and the guard answers
 * the 401 as on every route.
 */
export function registerInboundBodies(
  fastify: FastifyInstance,
  maxBytes: number,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): void {
  fastify.decorateRequest('inboundContentType', '');
  const markInbound: onRequestHookHandler = (request, _reply, done) => {
    const sent = request.headers['content-type'];
    request.inboundContentType = sent?.trim() ? sent.trim() : DEFAULT_CONTENT_TYPE;
    request.raw.headers['content-type'] = INBOUND_MEDIA_TYPE;
    done();
  };
  const authenticateFirst: preParsingAsyncHookHandler = async (request, _reply, payload) => {
    try {
      request.user = await authenticate(request);
    } catch (error) {
      // A refused caller: the parser leaves the body unread and the guard answers 401. Anything
      // else (the database is down) fails the request as it is, never with an empty body.
      if (!(error instanceof UnauthenticatedError)) throw error;
      request.authenticationRefused = error;
    }
    return payload;
  };
  fastify.addHook('onRoute', (route) => {
    if (route.url !== INBOUND_ROUTE) return;
    const existing = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [...existing, markInbound];
    const parsing = route.preParsing === undefined ? [] : [route.preParsing].flat();
    route.preParsing = [...parsing, authenticateFirst];
  });
  fastify.addContentTypeParser(
    INBOUND_MEDIA_TYPE,
    async (request: FastifyRequest, body: unknown) => {
      if (request.routeOptions.url !== INBOUND_ROUTE)
        throw new UnsupportedMediaTypeError(
          'send the body as application/json',
          'application/json',
        );
      if (request.authenticationRefused) return Buffer.alloc(0);
      return readBytes(request, body as AsyncIterable<Buffer>, maxBytes);
    },
  );
}
