import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { type LoginResultDto, type MeDto, type SessionDto } from '@integrixs/api-client';

import { type ApiResult } from '../api/api-result';
import { RequestsInFlight } from '../api/requests-in-flight';
import { SessionApi } from '../api/session-api.service';
import { AuthService } from './auth.service';
import { SESSION_HINT_KEY } from './session-hint';
import { SessionStore } from './session.store';

const USER: MeDto = {
  id: '5b0c6f5e-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
  username: 'alice',
  displayName: 'Alice Meyer',
  role: 'DEVELOPER',
  mfaEnabled: false,
  mfaEnrollmentRequired: false,
  packages: [],
} as unknown as MeDto; // only the fields the session code reads; the DTO has more

const failure = (status: number): ApiResult<never> => ({
  ok: false,
  failure: { status, problem: null, retryAfter: null },
});

/**
 * The API's session routes as the console sees them (the real protocol runs in the browser
 * tests, apps/web-e2e): each refresh answers the next result queued, or a new token.
 */
class FakeSessionApi {
  refreshes = 0;
  logouts = 0;
  /** Results for the next refresh calls, in order; a session with a fresh token when empty. */
  readonly refreshResults: ApiResult<SessionDto>[] = [];
  logoutResult: ApiResult<null> = { ok: true, data: null };
  /** Resolves the refresh in flight (set while `holdRefresh` is true). */
  holdRefresh = false;
  private release: (() => void) | null = null;

  login(): Promise<ApiResult<LoginResultDto>> {
    const data = { mfaRequired: false, mfaToken: null, session: this.session('login') };
    return Promise.resolve({ ok: true, data: data });
  }

  async refresh(): Promise<ApiResult<SessionDto>> {
    this.refreshes += 1;
    const n = this.refreshes;
    if (this.holdRefresh) await new Promise<void>((resolve) => (this.release = resolve));
    return this.refreshResults.shift() ?? { ok: true, data: this.session(`refresh-${n}`) };
  }

  logout(): Promise<ApiResult<null>> {
    this.logouts += 1;
    return Promise.resolve(this.logoutResult);
  }

  releaseRefresh(): void {
    this.release?.();
    this.release = null;
  }

  session(token: string): SessionDto {
    return { accessToken: token, expiresIn: 900, user: USER } as unknown as SessionDto;
  }
}

describe('AuthService', () => {
  let api: FakeSessionApi;
  let auth: AuthService;
  let store: SessionStore;
  let router: Router;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeSessionApi();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: '**', children: [] }]),
        { provide: SessionApi, useValue: api },
      ],
    });
    auth = TestBed.inject(AuthService);
    store = TestBed.inject(SessionStore);
    router = TestBed.inject(Router);
  });

  afterEach(() => {
    Reflect.deleteProperty(navigator, 'locks');
  });

  describe('restoring the session on start (ready)', () => {
    it('does not ask the API when this browser holds no session hint (no 401 on first load)', async () => {
      await auth.ready();
      expect(api.refreshes).toBe(0);
      expect(auth.user()).toBeNull();
    });

    it('restores the session from the refresh cookie when the hint says there is one', async () => {
      localStorage.setItem(SESSION_HINT_KEY, '1');
      await auth.ready();
      await auth.ready(); // asked once
      expect(api.refreshes).toBe(1);
      expect(auth.user()?.username).toBe('alice');
      expect(auth.accessToken()).toBe('refresh-1');
      expect(localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
    });

    it('drops a stale hint when the API refuses the refresh', async () => {
      localStorage.setItem(SESSION_HINT_KEY, '1');
      api.refreshResults.push(failure(401));
      await auth.ready();
      expect(auth.user()).toBeNull();
      expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
    });

    it('asks again on the next navigation when the API could not be reached', async () => {
      localStorage.setItem(SESSION_HINT_KEY, '1');
      api.refreshResults.push(failure(0));
      await auth.ready();
      expect(auth.user()).toBeNull();
      expect(localStorage.getItem(SESSION_HINT_KEY)).toBe('1'); // the session may still be there
      await auth.ready();
      expect(api.refreshes).toBe(2);
      expect(auth.user()?.username).toBe('alice');
    });
  });

  describe('renewing a refused access token', () => {
    beforeEach(async () => {
      await auth.signIn('alice', 'secret');
    });

    it('sets the session hint on sign-in', () => {
      expect(localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
      expect(auth.accessToken()).toBe('login');
    });

    it('shares one refresh among concurrent requests refused with the same token', async () => {
      api.holdRefresh = true;
      const renewals = [
        auth.renewAccessToken('login'),
        auth.renewAccessToken('login'),
        auth.renewAccessToken('login'),
      ];
      api.releaseRefresh();
      expect(await Promise.all(renewals)).toEqual(['refresh-1', 'refresh-1', 'refresh-1']);
      expect(api.refreshes).toBe(1);
    });

    it('answers a token renewed meanwhile without refreshing again', async () => {
      expect(await auth.renewAccessToken('login')).toBe('refresh-1');
      expect(await auth.renewAccessToken('login')).toBe('refresh-1'); // a late request
      expect(api.refreshes).toBe(1);
    });

    it('ends the session and sends the user to sign-in, back here after, when refresh is refused', async () => {
      await router.navigateByUrl('/');
      const navigate = jest.spyOn(router, 'navigate');
      api.refreshResults.push(failure(401));
      expect(await auth.renewAccessToken('login')).toBeNull();
      expect(auth.user()).toBeNull();
      expect(store.ended()).toBe('expired');
      expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
      expect(navigate).toHaveBeenCalledWith(['/sign-in'], { queryParams: { returnUrl: '/' } });
    });
  });

  describe('the Web Lock around a refresh', () => {
    /** A LockManager as browsers implement it for exclusive locks: one holder per name. */
    function installLocks(): string[] {
      const log: string[] = [];
      const queues = new Map<string, Promise<unknown>>();
      const locks = {
        request: (name: string, callback: () => Promise<unknown>) => {
          const previous = queues.get(name) ?? Promise.resolve();
          const run = previous.then(async () => {
            log.push(`acquired ${name}`);
            try {
              return await callback();
            } finally {
              log.push(`released ${name}`);
            }
          });
          queues.set(
            name,
            run.catch(() => undefined),
          );
          return run;
        },
      };
      Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
      return log;
    }

    it('refreshes inside the lock, so two tabs never spend one refresh token at once', async () => {
      const log = installLocks();
      localStorage.setItem(SESSION_HINT_KEY, '1');
      // A second tab: its own AuthService and store, the same browser (cookie, locks, storage).
      const otherTab = TestBed.runInInjectionContext(() => new AuthService());
      const store2 = TestBed.inject(SessionStore);
      expect(store2).toBe(store); // one injector; what matters here is the lock, not the store

      api.holdRefresh = true;
      const first = auth.ready();
      const second = otherTab.ready();
      await Promise.resolve();
      await Promise.resolve();
      // The second refresh waits for the lock: only one call has reached the API.
      expect(api.refreshes).toBe(1);
      api.releaseRefresh();
      await first;
      await new Promise((resolve) => setTimeout(resolve, 0));
      api.releaseRefresh();
      await second;
      expect(api.refreshes).toBe(2);
      expect(log).toEqual([
        'acquired integrixs-session-refresh',
        'released integrixs-session-refresh',
        'acquired integrixs-session-refresh',
        'released integrixs-session-refresh',
      ]);
    });
  });

  describe('signing out', () => {
    beforeEach(async () => {
      await auth.signIn('alice', 'secret');
    });

    it('ends the session on the API and here, clears the hint and shows the sign-in page', async () => {
      await auth.signOut();
      expect(api.logouts).toBe(1);
      expect(auth.user()).toBeNull();
      expect(auth.accessToken()).toBeNull();
      expect(store.ended()).toBe('signed-out');
      expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
      expect(router.url).toBe('/sign-in');
    });

    it('signs out here even when the API cannot be reached', async () => {
      api.logoutResult = failure(0);
      await auth.signOut();
      expect(auth.user()).toBeNull();
      expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
      // The next start does not try to restore a session.
      await auth.ready();
      expect(api.refreshes).toBe(0);
    });

    it('lets the requests in flight finish before the logout, and renews nothing meanwhile', async () => {
      const requests = TestBed.inject(RequestsInFlight);
      requests.started(); // a page's request, answered after the click
      const signedOut = auth.signOut();
      await Promise.resolve();
      expect(api.logouts).toBe(0);
      // The live socket the API closes at the logout asks for a new token: none, no refresh.
      await expect(auth.renewAccessToken(auth.accessToken())).resolves.toBeNull();
      requests.finished();
      await signedOut;
      expect(api.logouts).toBe(1);
      // Signed out: a late ask (the socket's close arriving now) renews nothing either.
      await expect(auth.renewAccessToken('login')).resolves.toBeNull();
      expect(api.refreshes).toBe(0);
      expect(store.ended()).toBe('signed-out');
    });

    it('does not wait for a request in flight longer than two seconds', async () => {
      jest.useFakeTimers();
      try {
        TestBed.inject(RequestsInFlight).started(); // never answered
        const signedOut = auth.signOut();
        await jest.advanceTimersByTimeAsync(2_000);
        await signedOut;
        expect(api.logouts).toBe(1);
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
