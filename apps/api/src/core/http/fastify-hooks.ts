import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';

import { type FastifyInstance } from 'fastify';
import { type Logger } from 'pino';

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

  // Callback-style hooks: an async hook costs a promise and a microtask turn per request.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const elapsedMs = reply.elapsedTime;
    metrics().observeRequest(request.method, route, reply.statusCode, elapsedMs / 1000);
    const level = route === '/metrics' || route.startsWith('/api/health') ? 'debug' : 'info';
    // The log line's fields are only gathered when the line is written (LOG_LEVEL=warn skips it).
    // request.log is a child of the pino logger createApp hands Fastify.
    if ((request.log as Logger).isLevelEnabled(level)) {
      request.log[level](
        {
          method: request.method,
          url: request.url,
          route,
          statusCode: reply.statusCode,
          ms: Math.round(elapsedMs * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}
