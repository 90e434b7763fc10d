import { Observable } from 'rxjs';

import { isProblemDetails, type ProblemDetails } from '@integrixs/api-client';

/** Why a call failed: the problem details the API answered, or none (unreachable, not JSON). */
export interface ApiFailure {
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly problem: ProblemDetails | null;
  /** Seconds from the Retry-After header (429 `too_many_attempts`, 503), or null. */
  readonly retryAfter: number | null;
}

export type ApiResult<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly failure: ApiFailure };

/** Turns an openapi-fetch call into an ApiResult; never rejects (a network error is status 0). */
export async function toResult<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<ApiResult<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok && data !== undefined) return { ok: true, data };
    return { ok: false, failure: failureOf(response, error) };
  } catch {
    return { ok: false, failure: { status: 0, problem: null, retryAfter: null } };
  }
}

/** Like toResult, for calls that answer 204 No Content. */
export async function toDone(
  call: Promise<{ error?: unknown; response: Response }>,
): Promise<ApiResult<null>> {
  try {
    const { error, response } = await call;
    if (response.ok) return { ok: true, data: null };
    return { ok: false, failure: failureOf(response, error) };
  } catch {
    return { ok: false, failure: { status: 0, problem: null, retryAfter: null } };
  }
}

/** The optimistic version as read, as an `If-Match` header (a stale one is a 412). */
export function ifMatch(version: number): { 'If-Match': string } {
  return { 'If-Match': `"${version}"` };
}

/**
 * The array an extension member of a problem carries (e.g. `problems[]` of `422 schema_invalid`,
 * `readiness[]` of `409 flow_not_ready`), or none. Such members are not part of ProblemDto.
 */
export function problemList<T>(failure: ApiFailure, member: string): T[] {
  const list: unknown = (failure.problem as Record<string, unknown> | null)?.[member];
  return Array.isArray(list) ? (list as T[]) : [];
}

function failureOf(response: Response, error: unknown): ApiFailure {
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return {
    status: response.status,
    problem: isProblemDetails(error) ? error : null,
    retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
  };
}

/**
 * A request as an Observable: unsubscribing (e.g. `switchMap` moving on to a newer search) aborts
 * it, so a slow stale answer can never overwrite a fresh one.
 */
export function abortable<T>(request: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    request(controller.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => controller.abort();
  });
}
