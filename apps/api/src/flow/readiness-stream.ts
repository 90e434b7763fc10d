import { PassThrough } from 'node:stream';

import { StreamableFile } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';

import { buildProblem, toProblemParts } from '../core/errors/problem-mapper';
import { type ReadinessItem, type ReadinessResult } from './readiness-types';

/** Server-sent events (the readiness route's streamed answer). */
export const EVENT_STREAM = 'text/event-stream';

export const READINESS_STREAMING_DOC =
  'The checklist. With `Accept: text/event-stream` the answer streams instead, as server-sent events: an `item` event (data: one item) as each check completes, then a `result` event (data: this schema), or an `error` event (data: a problem) when the check broke off. A flow or environment that does not exist (404) and bad input (400) are answered as problem+json either way.';

/** Whether the client asked for the streamed answer (JSON stays the default). */
export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((type) => type.split(';', 1)[0]?.trim().toLowerCase() === EVENT_STREAM);
}

/**
 * Runs the check and streams it as server-sent events (as connection-test-stream.ts streams a
 * test as NDJSON): an `item` event per completed item, then `result`. The check runs to the end
 * even when the client goes away meanwhile.
 */
export function streamReadiness(
  run: (onItem: (item: ReadinessItem) => void) => Promise<ReadinessResult>,
  request: FastifyRequest,
): StreamableFile {
  const out = new PassThrough();
  out.on('error', () => undefined); // a client that left: nothing to tell it any more
  let id = 0;
  const event = (name: string, value: unknown) => {
    id++;
    if (!out.destroyed && !out.writableEnded)
      out.write(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(value)}\n\n`);
  };
  run((item) => event('item', item))
    .then((result) => event('result', result))
    .catch((error: unknown) => {
      const parts = toProblemParts(error);
      request.log.error({ err: error }, 'readiness check failed while streaming');
      const instance = request.url.split('?', 1)[0] ?? '/';
      event('error', buildProblem(parts, instance, request.id));
    })
    .finally(() => out.end());
  return new StreamableFile(out, { type: `${EVENT_STREAM}; charset=utf-8` });
}
