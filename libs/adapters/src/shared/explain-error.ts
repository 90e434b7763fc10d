/**
 * Turns what Node and the protocol libraries throw into one plain sentence for the person
 * running a connection test. Codes come from libuv (ECONNREFUSED), OpenSSL (CERT_*) and the
 * protocol replies (530, 535, AUTHENTICATIONFAILED).
 */
import { TargetDeniedError } from './target-policy';
import { TimeoutError } from './timeouts';

/** Thrown inside a step to fail it with a message meant for people, as is. */
export class StepFailure extends Error {}

const TLS_DISTRUST = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

interface NodeError {
  code?: string;
  /** nodemailer keeps the system/OpenSSL code here and puts its own (ESOCKET) in `code`. */
  originalCode?: string;
  cause?: { code?: string };
  address?: string;
  port?: number;
  hostname?: string;
  message?: string;
}

export function explainError(error: unknown): string {
  if (error instanceof StepFailure || error instanceof TargetDeniedError) return error.message;
  if (error instanceof TimeoutError) return error.message;
  const e = (error ?? {}) as NodeError;
  const raw = e.originalCode ?? e.cause?.code ?? e.code;
  const code = typeof raw === 'string' ? raw : undefined;
  const where = e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused on ${where ?? 'the target'}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${e.hostname ?? ''} could not be resolved`.replace('  ', ' ');
    case 'ETIMEDOUT':
      return `connection to ${where ?? 'the target'} timed out`;
    case 'ECONNRESET':
      return 'the server closed the connection unexpectedly';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where ?? 'the target'} is unreachable`;
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate does not match the host name (${e.message ?? ''})`;
    case 'CERT_HAS_EXPIRED':
      return 'TLS certificate has expired';
  }
  if (code && TLS_DISTRUST.has(code)) return `TLS certificate not trusted (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  return message || 'unknown error';
}

/**
 * A value a step depends on (the resolved target, a folder the schema makes required): steps
 * after a failed one never run, and schema validation guarantees the rest, so a missing value
 * here is a bug — said plainly instead of a TypeError.
 */
export function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`internal error: ${what} is missing`);
  return value;
}

/** Keeps Error instances, wraps anything else, so rejections are always Errors. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
