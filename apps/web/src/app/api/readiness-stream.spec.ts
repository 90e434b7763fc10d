import { ReadableStream } from 'node:stream/web';
import { TextEncoder } from 'node:util';

import { type ReadinessItemDto } from '@integrixs/api-client';

import { readReadiness } from './readiness-stream';

/** A streamed answer arriving in the given chunks (split anywhere, also inside a line). */
function answer(chunks: string[], contentType = 'text/event-stream; charset=utf-8'): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return {
    ok: true,
    status: 200,
    headers: { get: () => contentType },
    body,
    json: () => Promise.reject(new Error('streamed')),
  } as unknown as Response;
}

const ITEM = { key: 'graph', status: 'pass', explanation: 'the graph is valid' };
const RESULT = { environment: 'DEV', ready: true, items: [ITEM] };
const event = (id: number, name: string, value: unknown) =>
  `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(value)}\n\n`;

describe('readReadiness', () => {
  it('hands over each item event and answers the result event, whatever the chunk boundaries', async () => {
    const heard: ReadinessItemDto[] = [];
    const text = `: hello\n${event(1, 'item', ITEM)}${event(2, 'result', RESULT)}`;
    const outcome = await readReadiness(
      answer([text.slice(0, 7), text.slice(7, 40), text.slice(40, 41), text.slice(41)]),
      (item) => heard.push(item),
    );
    expect(heard).toEqual([ITEM]);
    expect(outcome).toEqual({ ok: true, data: RESULT });
  });

  it('reads events whose lines end in CRLF', async () => {
    const heard: ReadinessItemDto[] = [];
    const text = (event(1, 'item', ITEM) + event(2, 'result', RESULT)).replace(/\n/g, '\r\n');
    const outcome = await readReadiness(answer([text]), (item) => heard.push(item));
    expect(heard).toEqual([ITEM]);
    expect(outcome.ok).toBe(true);
  });

  it('answers the problem of an error event as a failure with its status', async () => {
    const problem = { type: 'x', title: 'Internal error', status: 500, detail: 'logged' };
    const outcome = await readReadiness(
      answer([event(1, 'item', ITEM), event(2, 'error', problem)]),
      () => undefined,
    );
    expect(outcome).toEqual({ ok: false, failure: { status: 500, problem, retryAfter: null } });
  });

  it('answers a stream that ends without a result as a failure with status 0', async () => {
    const outcome = await readReadiness(answer([event(1, 'item', ITEM)]), () => undefined);
    expect(outcome).toEqual({ ok: false, failure: { status: 0, problem: null, retryAfter: null } });
  });

  it('answers a problem+json answer (the check could not start) as a failure with its status', async () => {
    const problem = { type: 'x', title: 'Not found', status: 404, detail: 'no flow f-1' };
    const response = {
      ok: false,
      status: 404,
      headers: { get: () => 'application/problem+json' },
      body: null,
      json: () => Promise.resolve(problem),
    } as unknown as Response;
    expect(await readReadiness(response, () => undefined)).toEqual({
      ok: false,
      failure: { status: 404, problem, retryAfter: null },
    });
  });

  it('reads a plain JSON answer (no stream) as the result', async () => {
    const response = {
      ok: true,
      status: 200,
      headers: { get: () => 'application/json' },
      body: null,
      json: () => Promise.resolve(RESULT),
    } as unknown as Response;
    expect(await readReadiness(response, () => undefined)).toEqual({ ok: true, data: RESULT });
  });
});
