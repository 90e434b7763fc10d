/**
 * Retries for the runtime (not for connection tests, which report what happened on the first
 * try). Only transient network failures are retried; a refused login, a denied target or a
 * missing folder fails at once, since trying again cannot help and may lock an account.
 */
import { StepFailure } from './explain-error';
import { TargetDeniedError } from './target-policy';
import { TimeoutError } from './timeouts';

export interface RetryPolicy {
  maxAttempts?: number;
  backoffMs?: number;
}

const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

export function isTransient(error: unknown): boolean {
  if (error instanceof StepFailure || error instanceof TargetDeniedError) return false;
  if (error instanceof TimeoutError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT.has(code);
}

/** Runs `fn` up to `maxAttempts` times (default 3), waiting `backoffMs` × attempt between. */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy = {},
  retryable: (error: unknown) => boolean = isTransient,
): Promise<T> {
  const attempts = Math.max(1, policy.maxAttempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, (policy.backoffMs ?? 1000) * attempt));
    }
  }
}
