/** Every network wait has a bound: a step that hangs fails with this error instead. */
export class TimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} timed out after ${ms} ms`);
  }
}

/** `promise`, or past `ms` the error `timedOut` makes (a TimeoutError by default). */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  timedOut: () => Error = () => new TimeoutError(what, ms),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const DEFAULT_STEP_TIMEOUT_MS = 10000;
