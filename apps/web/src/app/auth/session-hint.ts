import { Injectable } from '@angular/core';

/** The localStorage key of the hint. Its value is only `1`: never a token or anything secret. */
export const SESSION_HINT_KEY = 'integrixs.session';

/**
 * Whether this browser probably holds a session (a refresh cookie) from an earlier visit. The
 * cookie is httpOnly, so the console cannot look at it; without this hint, every first load of a
 * signed-out browser would ask the API to refresh and get a 401, which the browser logs as an
 * error. Set on sign-in and on every renewal, cleared on sign-out and when a refresh is refused.
 * A stale hint costs one refused refresh; a missing one (storage disabled or cleared) means
 * signing in again.
 */
@Injectable({ providedIn: 'root' })
export class SessionHint {
  present(): boolean {
    try {
      return localStorage.getItem(SESSION_HINT_KEY) === '1';
    } catch {
      return false; // storage blocked: no hint, no request
    }
  }

  set(): void {
    try {
      localStorage.setItem(SESSION_HINT_KEY, '1');
    } catch {
      // Storage blocked or full: the session still works in this tab.
    }
  }

  clear(): void {
    try {
      localStorage.removeItem(SESSION_HINT_KEY);
    } catch {
      // Nothing stored.
    }
  }
}
