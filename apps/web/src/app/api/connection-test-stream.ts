import {
  isProblemDetails,
  type ConnectionTestResultDto,
  type ConnectionTestStepDto,
} from '@integrixs/api-client';

import { type ApiResult } from './api-result';

/** One line of the streamed answer of `POST …/adapters/{adapterId}/test`. */
type TestLine =
  | { type: 'step'; step: ConnectionTestStepDto }
  | { type: 'result'; result: ConnectionTestResultDto }
  | { type: 'error'; problem: unknown };

/**
 * Reads a streamed connection test (one JSON object per line) as it arrives: each step to
 * `onStep`, then the result. A problem+json answer (the test could not start) is a failure.
 */
export async function readConnectionTest(
  response: Response,
  onStep: (step: ConnectionTestStepDto) => void,
): Promise<ApiResult<ConnectionTestResultDto>> {
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => null);
    return {
      ok: false,
      failure: {
        status: response.status,
        problem: isProblemDetails(body) ? body : null,
        retryAfter: null,
      },
    };
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let outcome: ApiResult<ConnectionTestResultDto> | null = null;
  const take = (text: string) => {
    if (!text.trim()) return;
    const line = JSON.parse(text) as TestLine;
    if (line.type === 'step') onStep(line.step);
    else if (line.type === 'result') outcome = { ok: true, data: line.result };
    else
      outcome = {
        ok: false,
        failure: {
          status: 500,
          problem: isProblemDetails(line.problem) ? line.problem : null,
          retryAfter: null,
        },
      };
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      take(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
  }
  take(buffered);
  return outcome ?? { ok: false, failure: { status: 0, problem: null, retryAfter: null } };
}
