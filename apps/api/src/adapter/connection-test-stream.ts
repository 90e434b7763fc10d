import { PassThrough } from 'node:stream';

import { StreamableFile } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';

import { type ConnectionTestStep } from '@integrixs/adapters';

import { buildProblem, toProblemParts } from '../core/errors/problem-mapper';
import { type ConnectionTestResultDto } from './dto/adapter-views.dto';

/** Newline-delimited JSON: one JSON document per line. */
export const NDJSON = 'application/x-ndjson';

export const STREAMING_DOC =
  'The connection test result. With `Accept: application/x-ndjson` the answer streams instead, one JSON object per line as the test goes: `{"type":"step","step":{…}}` as each step completes, then `{"type":"result","result":{…}}` (this schema), or `{"type":"error","problem":{…}}` when the result could not be kept. Problems found before the test starts (404, 422) are answered as problem+json either way.';

/** Whether the client asked for the streamed answer (JSON stays the default). */
export function wantsNdjson(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((type) => type.split(';', 1)[0]?.trim().toLowerCase() === NDJSON);
}

/**
 * Runs the test and streams it: a line per step as it completes, then the result. The test runs
 * to the end (and its result is kept) even when the client goes away meanwhile.
 */
export function streamTest(
  run: (onStep: (step: ConnectionTestStep) => void) => Promise<ConnectionTestResultDto>,
  request: FastifyRequest,
): StreamableFile {
  const out = new PassThrough();
  out.on('error', () => undefined); // a client that left: nothing to tell it any more
  const line = (value: unknown) => {
    if (!out.destroyed && !out.writableEnded) out.write(`${JSON.stringify(value)}\n`);
  };
  run((step) => line({ type: 'step', step }))
    .then((result) => line({ type: 'result', result }))
    .catch((error: unknown) => {
      const parts = toProblemParts(error);
      request.log.error({ err: error }, 'connection test failed while streaming');
      const instance = request.url.split('?', 1)[0] ?? '/';
      line({ type: 'error', problem: buildProblem(parts, instance, request.id) });
    })
    .finally(() => out.end());
  return new StreamableFile(out, { type: `${NDJSON}; charset=utf-8` });
}
