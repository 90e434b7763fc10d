/**
 * Classifies PostgreSQL / driver errors so the API can answer 503 during an outage or a
 * statement timeout, 409 on a unique-constraint race or a deadlock, and 422 on a reference to a
 * row deleted meanwhile, instead of a 500.
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
export const FOREIGN_KEY_VIOLATION = '23503';
export const SERIALIZATION_FAILURE = '40001';
export const DEADLOCK_DETECTED = '40P01';
/** query_canceled: raised by statement_timeout (and by pg_cancel_backend). */
export const QUERY_CANCELED = '57014';
/** lock_not_available: raised by lock_timeout and NOWAIT. */
export const LOCK_NOT_AVAILABLE = '55P03';

/** A transaction PostgreSQL aborted because of concurrent ones: running it again can succeed. */
export function isRetryableConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === DEADLOCK_DETECTED || state === SERIALIZATION_FAILURE;
}

/** A statement cancelled because it ran (or waited for a lock) longer than allowed. */
export function isStatementTimeout(error: unknown): boolean {
  const state = sqlState(error);
  return state === QUERY_CANCELED || state === LOCK_NOT_AVAILABLE;
}

export interface ForeignKeyViolation {
  constraint: string | undefined;
  /** The referencing table (PostgreSQL reports it for both directions). */
  table: string | undefined;
  /** The key columns, from the error's detail (never the values). */
  columns: string[];
  /** The referenced table, when the referenced row is missing. */
  referencedTable: string | undefined;
  /** True: the referenced row is missing (insert/update). False: a delete of a row still referred to. */
  missing: boolean;
}

/** The parts of a foreign-key violation (SQLSTATE 23503) needed to name the reference. */
export function foreignKeyViolation(error: unknown): ForeignKeyViolation | undefined {
  for (const e of causeChain(error)) {
    if (e.code !== FOREIGN_KEY_VIOLATION) continue;
    const { constraint, table, detail } = e as {
      constraint?: unknown;
      table?: unknown;
      detail?: unknown;
    };
    const text = typeof detail === 'string' ? detail : '';
    const keys = /^Key \(([^)]*)\)=/.exec(text)?.[1];
    return {
      constraint: typeof constraint === 'string' ? constraint : undefined,
      table: typeof table === 'string' ? table : undefined,
      columns: keys ? keys.split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : [],
      referencedTable: /is not present in table "([^"]+)"/.exec(text)?.[1],
      missing: !/is still referenced from table/.test(text),
    };
  }
  return undefined;
}
