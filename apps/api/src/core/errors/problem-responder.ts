import { type FastifyReply, type FastifyRequest } from 'fastify';

import { buildProblem, toProblemParts } from './problem-mapper';

/** Writes any error as an RFC 9457 problem+json response, logging what the client cannot fix. */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const parts = toProblemParts(error);
  if (parts.status >= 500) {
    const level = parts.status === 503 ? 'warn' : 'error';
    request.log[level]({ err: error }, `answered ${parts.status} ${parts.code}`);
  }
  const instance = request.url.split('?', 1)[0] ?? '/';
  void reply
    .status(parts.status)
    .headers({ ...parts.headers, 'content-type': 'application/problem+json' })
    .send(buildProblem(parts, instance, request.id));
}
