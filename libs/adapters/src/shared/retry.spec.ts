import { StepFailure } from './explain-error';
import { withRetries } from './retry';
import { TargetDeniedError } from './target-policy';
import { TimeoutError } from './timeouts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('withRetries', () => {
  it('retries transient network failures until an attempt succeeds', async () => {
    const seen: number[] = [];
    const result = await withRetries(
      (attempt) => {
        seen.push(attempt);
        return attempt < 3 ? Promise.reject(refused()) : Promise.resolve('ok');
      },
      { maxAttempts: 3, backoffMs: 1 },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    await expect(
      withRetries(
        () => {
          calls++;
          return Promise.reject(new TimeoutError('SSH handshake', 10));
        },
        { maxAttempts: 2, backoffMs: 1 },
      ),
    ).rejects.toThrow('SSH handshake timed out after 10 ms');
    expect(calls).toBe(2);
  });

  it.each([
    ['a refused login', new StepFailure('authentication failed for user x')],
    ['a denied target', new TargetDeniedError('169.254.169.254 is a cloud metadata address')],
    ['an unknown error', new Error('boom')],
  ])('does not retry %s', async (_name, error) => {
    let calls = 0;
    await expect(
      withRetries(
        () => {
          calls++;
          return Promise.reject(error);
        },
        { maxAttempts: 5, backoffMs: 1 },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });
});
