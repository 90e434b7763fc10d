/**
 * What the API layer needs from the signed-in session: the access token to send, a way to renew
 * it when the API answers 401, and where to go when an administrator must enrol MFA first.
 * The auth layer implements it (`AuthService`); app.config.ts provides it.
 */
export abstract class ApiSession {
  /** The current access token (kept in memory only), or null when signed out. */
  abstract accessToken(): string | null;

  /**
   * A new access token after `rejected` got a 401, or null when the session is over. Concurrent
   * callers share one refresh; a token already renewed by someone else is returned as it is.
   */
  abstract renewAccessToken(rejected: string | null): Promise<string | null>;

  /** The API answered 403 `mfa_enrollment_required`. */
  abstract mfaEnrolmentRequired(): void;
}
