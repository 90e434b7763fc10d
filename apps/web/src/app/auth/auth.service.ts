import { inject, Injectable } from '@angular/core';
import { Router } from '@angular/router';

import { type MeDto, type SessionDto } from '@integrixs/api-client';

import { type ApiFailure } from '../api/api-result';
import { ApiSession } from '../api/api-session';
import { RequestsInFlight } from '../api/requests-in-flight';
import { SessionApi } from '../api/session-api.service';
import { SessionHint } from './session-hint';
import { SessionStore } from './session.store';

export type SignInStep =
  | { readonly kind: 'signed-in'; readonly user: MeDto }
  | { readonly kind: 'mfa-required'; readonly mfaToken: string }
  | { readonly kind: 'failed'; readonly failure: ApiFailure };

type Refreshed = 'renewed' | 'ended' | 'unavailable';

/** How long sign-out lets the page's requests in flight finish before ending the session. */
const SIGN_OUT_SETTLE_MS = 2_000;

/** Name of the Web Lock that keeps tabs from spending one refresh token twice. */
const REFRESH_LOCK = 'integrixs-session-refresh';

/**
 * The session life cycle: sign-in (with the MFA step), restoring the session from the refresh
 * cookie when the console starts, renewing the access token when the API answers 401 (one
 * refresh for all requests waiting on it), and sign-out. State lives in SessionStore.
 */
@Injectable({ providedIn: 'root' })
export class AuthService implements ApiSession {
  private readonly api = inject(SessionApi);
  private readonly store = inject(SessionStore);
  private readonly hint = inject(SessionHint);
  private readonly router = inject(Router);
  private readonly requests = inject(RequestsInFlight);

  private restoring: Promise<void> | null = null;
  private renewal: Promise<string | null> | null = null;
  /** From the sign-out click to the local end: nothing renews the token meanwhile. */
  private signingOut = false;

  readonly user = this.store.user;

  /**
   * Resolves once the session of a previous visit was restored, or found to be gone. When the API
   * could not be asked, the next call (the next navigation) asks again. Without a session hint
   * (nobody signed in from this browser, or they signed out) the API is not asked at all.
   */
  ready(): Promise<void> {
    this.restoring ??=
      this.store.signedIn() || !this.hint.present()
        ? Promise.resolve()
        : this.refresh().then((outcome) => {
            if (outcome === 'unavailable') this.restoring = null;
          });
    return this.restoring;
  }

  async signIn(username: string, password: string): Promise<SignInStep> {
    const result = await this.api.login(username, password);
    if (!result.ok) return { kind: 'failed', failure: result.failure };
    const { mfaRequired, mfaToken, session } = result.data;
    if (mfaRequired && mfaToken) return { kind: 'mfa-required', mfaToken };
    if (!session)
      return { kind: 'failed', failure: { status: 500, problem: null, retryAfter: null } };
    return this.started(session);
  }

  /** The second step of a sign-in: a TOTP code or a recovery code. */
  async verifyMfa(mfaToken: string, code: string): Promise<SignInStep> {
    const result = await this.api.loginMfa(mfaToken, code);
    return result.ok ? this.started(result.data) : { kind: 'failed', failure: result.failure };
  }

  /**
   * Ends the session on the API (and its cookie), forgets it here, then shows the sign-in page.
   * The page's requests in flight finish first, and nothing renews the token meanwhile (the live
   * socket the API closes at the logout would otherwise try a refresh): no 401 in between.
   */
  async signOut(): Promise<void> {
    this.signingOut = true;
    try {
      await this.requests.settled(SIGN_OUT_SETTLE_MS);
      await this.api.logout(); // signed out locally even when the API cannot be reached
      this.hint.clear();
      this.store.end('signed-out');
    } finally {
      this.signingOut = false;
    }
    await this.router.navigateByUrl('/sign-in');
  }

  /** MFA enrolment finished: the API issued an MFA-confirmed access token for this session. */
  mfaEnrolled(accessToken: string | null, user: MeDto | null): void {
    if (accessToken) this.store.replaceAccessToken(accessToken);
    const current = this.store.user();
    const next =
      user ?? (current ? { ...current, mfaEnabled: true, mfaEnrollmentRequired: false } : null);
    if (next) this.store.replaceUser(next);
  }

  /** MFA step-up passed: the API issued a freshly MFA-confirmed access token for this session. */
  mfaConfirmed(accessToken: string): void {
    this.store.replaceAccessToken(accessToken);
  }

  accessToken(): string | null {
    return this.store.accessToken();
  }

  renewAccessToken(rejected: string | null): Promise<string | null> {
    const current = this.store.accessToken();
    // Signing out, or signed out (a live socket closed at the logout, a late answer): no session
    // to renew, so no refresh (which would answer 401, the cookie being gone).
    if (this.signingOut || current === null) return Promise.resolve(null);
    if (current !== rejected) return Promise.resolve(current);
    this.renewal ??= this.refresh()
      .then((outcome) => {
        if (outcome === 'ended') this.expired();
        return outcome === 'renewed' ? this.store.accessToken() : null;
      })
      .finally(() => (this.renewal = null));
    return this.renewal;
  }

  mfaEnrolmentRequired(): void {
    const url = this.router.url;
    if (url.startsWith('/account/mfa')) return;
    void this.router.navigate(['/account/mfa'], { queryParams: { returnUrl: url } });
  }

  private started(session: SessionDto): SignInStep {
    this.store.start(session);
    this.hint.set();
    return { kind: 'signed-in', user: session.user };
  }

  /**
   * Exchanges the refresh cookie for a new access token. A Web Lock serialises refreshes across
   * tabs: the API rotates the refresh token on every use and treats a second use of an old one as
   * theft (ending the session), so two tabs must never refresh with the same cookie at once.
   */
  private async refresh(): Promise<Refreshed> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    const call = () => this.api.refresh();
    const result = await (locks ? locks.request(REFRESH_LOCK, call) : call());
    if (result.ok) {
      this.store.start(result.data);
      this.hint.set();
      return 'renewed';
    }
    // No cookie, an expired or revoked one: the session is over. Anything else may pass.
    if (result.failure.status !== 400 && result.failure.status !== 401) return 'unavailable';
    this.hint.clear();
    return 'ended';
  }

  /** The session ended while the console was in use: sign in again, then come back here. */
  private expired(): void {
    this.store.end('expired');
    const url = this.router.url;
    if (url.startsWith('/sign-in')) return;
    void this.router.navigate(['/sign-in'], { queryParams: { returnUrl: url } });
  }
}
