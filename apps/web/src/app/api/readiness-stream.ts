import {
  isProblemDetails,
  type ReadinessItemDto,
  type ReadinessResultDto,
} from '@integrixs/api-client';

import { type ApiFailure, type ApiResult } from './api-result';

/** One server-sent event: its name (`message` when unnamed) and its data lines joined. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
}

/**
 * Reads a `text/event-stream` body as it arrives and hands over each complete event (a block of
 * `field: value` lines ended by a blank line; comments and `id`/`retry` are ignored).
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let name = '';
  let data: string[] = [];
  const take = (line: string) => {
    if (line === '') {
      if (data.length > 0) onEvent({ event: name || 'message', data: data.join('\n') });
      name = '';
      data = [];
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return;
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.search(/\r\n|\r|\n/)) >= 0) {
      take(buffered.slice(0, end));
      buffered = buffered.slice(end + (buffered.startsWith('\r\n', end) ? 2 : 1));
    }
  }
  if (buffered) take(buffered);
  take('');
}

const broken: ApiFailure = { status: 0, problem: null, retryAfter: null };

/**
 * Reads a streamed readiness check (`GET …/readiness` with `Accept: text/event-stream`): each
 * `item` event to `onItem`, then the `result` event. An `error` event, or a problem+json answer
 * (the check could not start), is a failure; a stream that ends without a result is a failure
 * with status 0 (the caller may ask again for JSON).
 */
export async function readReadiness(
  response: Response,
  onItem: (item: ReadinessItemDto) => void,
): Promise<ApiResult<ReadinessResultDto>> {
  const streamed = response.headers.get('content-type')?.startsWith('text/event-stream');
  if (!response.ok || !response.body || !streamed) {
    const body: unknown = await response.json().catch(() => null);
    if (response.ok && body) return { ok: true, data: body as ReadinessResultDto };
    return {
      ok: false,
      failure: {
        status: response.ok ? 0 : response.status,
        problem: isProblemDetails(body) ? body : null,
        retryAfter: null,
      },
    };
  }
  let outcome: ApiResult<ReadinessResultDto> | null = null;
  await readEventStream(response.body, ({ event, data }) => {
    const value: unknown = JSON.parse(data);
    if (event === 'item') onItem(value as ReadinessItemDto);
    else if (event === 'result') outcome = { ok: true, data: value as ReadinessResultDto };
    else if (event === 'error') {
      const problem = isProblemDetails(value) ? value : null;
      outcome = {
        ok: false,
        failure: { status: problem?.status ?? 500, problem, retryAfter: null },
      };
    }
  });
  return outcome ?? { ok: false, failure: broken };
}
