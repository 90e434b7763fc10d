/** RFC 9457 problem details, as every error response of the API carries them. */
export interface ProblemFieldError {
  /** Where the problem is: a field path (`tags[2]`), a query parameter or a header name. */
  path: string;
  message: string;
  code: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors: ProblemFieldError[];
  traceId: string;
  [extension: string]: unknown;
}

/** Stable machine-readable codes; the `type` URI is derived from them. */
export const PROBLEM_CODES = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'mfa_required',
  'mfa_enrollment_required',
  'too_many_attempts',
  'asset_locked',
  'malformed_json',
  'body_too_deep',
  'not_found',
  'name_conflict',
  'version_conflict',
  'version_required',
  'state_conflict',
  'schema_invalid',
  'payload_too_complex',
  'payload_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'database_unavailable',
  'internal_error',
  // A deadlock or serialization failure that persisted after one retry: send the request again.
  'conflict_retry',
  // A statement ran past DATABASE_STATEMENT_TIMEOUT_MS (503 with Retry-After).
  'database_timeout',
  // The request refers to a row that does not exist (anymore), e.g. deleted while it ran.
  'reference_not_found',
  // A delete refused because other rows still refer to what it deletes.
  'still_referenced',
  // An adapter configuration that its type's JSON Schema refuses (422, one error per pointer).
  'configuration_invalid',
  // A mapping that does not compile, or names a schema it cannot use (422, every problem located).
  'mapping_invalid',
  // A state change the flow state machine does not have (409; `allowed` lists the moves it has).
  'illegal_transition',
  // A flow the readiness gate refuses as READY (409; `problems` says what to fix).
  'flow_not_ready',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const PROBLEM_TYPE_BASE = 'https://integrixs.io/problems/';
