import { type FastifyInstance, type FastifyRequest } from 'fastify';

import { jsonNestingBeyond } from '@integrixs/domain';

import { BodyTooDeepError } from '../errors/app-error';

/**
 * JSON bodies: Fastify's own parser (prototype-poisoning keys refused), behind a nesting cap
 * checked on the raw text first. Everything after parsing (Nest's pipes, class-transformer, the
 * audit redaction, ajv) recurses, so depth must be refused before any of it runs.
 */
export function registerJsonBodies(fastify: FastifyInstance, maxDepth: number): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (
      request: FastifyRequest,
      body: string | Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (jsonNestingBeyond(text, maxDepth) !== -1) {
        done(new BodyTooDeepError(maxDepth));
        return;
      }
      void parse(request, text, done);
    },
  );
}
