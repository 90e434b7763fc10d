import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The headers helmet sets for `options`, worked out once: helmet's answer is the same for every
 * request (no CSP nonces here), but @fastify/helmet rebuilds the whole helmet middleware from its
 * options on every request (~3% of a cheap read's CPU). So a throwaway Fastify instance with the
 * plugin answers one request, and the headers helmet had put on the raw response by the time the
 * handler ran are kept, name for name and value for value.
 */
export async function helmetHeaders(
  options: FastifyHelmetOptions,
): Promise<readonly (readonly [string, string | string[]])[]> {
  const probe = Fastify();
  let headers: [string, string | string[]][] = [];
  try {
    await probe.register(fastifyHelmet, options);
    probe.get('/', (_request, reply) => {
      headers = Object.entries(reply.raw.getHeaders()).map(([name, value]) => [
        name,
        Array.isArray(value) ? value : String(value),
      ]);
      return reply.send('');
    });
    await probe.inject({ method: 'GET', url: '/' });
  } finally {
    await probe.close();
  }
  if (headers.length === 0) throw new Error('helmet set no headers on the probe request');
  return headers;
}

/**
 * Sets `headers` on every response, as helmet did, when the request arrives (so a route may still
 * replace one with its own value). Through the reply, not the raw response: Node then checks
 * each header once, when it writes the head, instead of on every setHeader as well.
 */
export function registerStaticHeaders(
  fastify: FastifyInstance,
  headers: readonly (readonly [string, string | string[]])[],
): void {
  const all: Record<string, string | string[]> = Object.fromEntries(headers);
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(all);
    done();
  });
}
