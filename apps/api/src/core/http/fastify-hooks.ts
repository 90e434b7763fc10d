import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';

import { type FastifyInstance } from 'fastify';

import { type MetricsService } from '../metrics/metrics.service';
import { ANONYMOUS_ACTOR, runWithContext } from '../request-context/request-context';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Uses the caller's X-Request-Id when it is sane, so a trace crosses services; otherwise a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

/**
 * Per-request plumbing on the Fastify instance: request context (AsyncLocalStorage) for the
 * audit trail, X-Request-Id echo, one structured log line per request and the latency
 * histogram, and `Connection: close` on answers sent while the server shuts down.
 */
export function registerRequestHooks(
  fastify: FastifyInstance,
  metrics: () => MetricsService,
): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    runWithContext({ requestId: request.id, actor: ANONYMOUS_ACTOR }, done);
  });

  // During a shutdown, requests in flight still get their answer, on a connection that then
  // closes: a kept-alive one would hold the server open until its keep-alive timeout.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (closing) void reply.header('connection', 'close');
  });

  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics().observeRequest(request.method, route, reply.statusCode, seconds);
    const quiet = route === '/metrics' || route.startsWith('/api/health');
    request.log[quiet ? 'debug' : 'info'](
      {
        method: request.method,
        url: request.url,
        route,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
  });
}
