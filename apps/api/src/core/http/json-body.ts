import { type FastifyInstance, type FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';

import { jsonNestingBeyond } from '@integrixs/domain';

import { BodyTooDeepError, MalformedJsonError, ValidationError } from '../errors/app-error';

type Done = (error: Error | null, body?: unknown) => void;

/**
 * JSON bodies: a nesting cap checked on the raw text first, then secure-json-parse (Fastify's own
 * parser) with prototype-poisoning keys refused. Everything after parsing (Nest's pipes,
 * class-transformer, the audit redaction, ajv) recurses, so depth must be refused before any of
 * it runs; each refusal says what is wrong rather than "not valid JSON".
 */
export function registerJsonBodies(fastify: FastifyInstance, maxDepth: number): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_request: FastifyRequest, body: string | Buffer, done: Done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(new MalformedJsonError('the body is empty, but its content-type is application/json'));
        return;
      }
      if (jsonNestingBeyond(text, maxDepth) !== -1) {
        done(new BodyTooDeepError(maxDepth));
        return;
      }
      try {
        done(
          null,
          secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'error' }),
        );
      } catch (error) {
        const message = (error as Error).message;
        done(
          /prototype/i.test(message)
            ? ValidationError.of(
                'body',
                'must not contain "__proto__" or "constructor.prototype" keys',
                'forbidden_key',
              )
            : new MalformedJsonError(`the body is not valid JSON: ${message}`),
        );
      }
    },
  );
}
