import { ReadableStream } from 'node:stream/web';
import { TextEncoder } from 'node:util';

import { type ConnectionTestStepDto } from '@integrixs/api-client';

import { readConnectionTest } from './connection-test-stream';

/** A streamed answer arriving in the given chunks (split anywhere, also inside a line). */
function answer(chunks: string[], status = 200, contentType = 'application/x-ndjson'): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: () => contentType },
    body,
    json: () => Promise.reject(new Error('streamed')),
  } as unknown as Response;
}

const STEP = { step: 'folder', status: 'passed', durationMs: 2, message: 'folder /in exists' };
const RESULT = {
  environment: 'DEV',
  ok: true,
  steps: [STEP],
  testedAt: '2026-11-29T08:00:00.000Z',
  testedBy: 'u-1',
};

describe('readConnectionTest', () => {
  it('hands over each step line and answers the result line, whatever the chunk boundaries', async () => {
    const heard: ConnectionTestStepDto[] = [];
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    const text = line({ type: 'step', step: STEP }) + line({ type: 'result', result: RESULT });
    const outcome = await readConnectionTest(
      answer([text.slice(0, 10), text.slice(10, 70), text.slice(70)]),
      (s) => heard.push(s),
    );
    expect(heard).toEqual([STEP]);
    expect(outcome).toEqual({ ok: true, data: RESULT });
  });

  it('answers the problem of an error line as a failure', async () => {
    const problem = { type: 'x', title: 'Internal error', status: 500, detail: 'logged' };
    const outcome = await readConnectionTest(
      answer([`${JSON.stringify({ type: 'error', problem })}\n`]),
      () => undefined,
    );
    expect(outcome).toEqual({
      ok: false,
      failure: { status: 500, problem, retryAfter: null },
    });
  });

  it('answers a problem+json answer (the test could not start) as a failure with its status', async () => {
    const problem = { type: 'x', title: 'Not found', status: 404, detail: 'no adapter a-1' };
    const response = {
      ok: false,
      status: 404,
      body: null,
      json: () => Promise.resolve(problem),
    } as unknown as Response;
    expect(await readConnectionTest(response, () => undefined)).toEqual({
      ok: false,
      failure: { status: 404, problem, retryAfter: null },
    });
  });
});
