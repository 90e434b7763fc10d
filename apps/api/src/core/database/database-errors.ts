/**
 * Classifies PostgreSQL / driver errors so the API can answer 503 during an outage and 409 on
 * a unique-constraint race instead of a 500.
 */

/** SQLSTATE classes 08 (connection), 57P0x (shutdown), 53300 (too many connections), plus socket errors. */
const UNAVAILABLE_CODES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended',
  'the database system is starting up',
  'the database system is shutting down',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

interface ErrorWithCode {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error itself and whatever it wraps (TypeORM's driverError, `cause`, AggregateError members). */
function* causeChain(error: unknown, depth = 0): Generator<ErrorWithCode> {
  if (depth > 5 || typeof error !== 'object' || error === null) return;
  const e = error as ErrorWithCode;
  yield e;
  yield* causeChain(e.driverError, depth + 1);
  yield* causeChain(e.cause, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* causeChain(inner, depth + 1);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causeChain(error)) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      UNAVAILABLE_MESSAGES.some((m) => (e.message as string).includes(m))
    ) {
      return true;
    }
  }
  return false;
}

/** SQLSTATE of the first PostgreSQL error in the chain, if any. */
export function sqlState(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';
