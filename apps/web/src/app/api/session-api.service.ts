import { inject, Injectable } from '@angular/core';

import { type LoginResultDto, type SessionDto } from '@integrixs/api-client';

import { SESSION_CLIENT } from './api-client';
import { toDone, toResult, type ApiResult } from './api-result';

/**
 * Sign-in and the session life cycle (`/api/auth/login…`, `refresh`, `logout`). The console
 * always asks for `session: 'cookie'`: the refresh token stays in an httpOnly cookie, out of reach
 * of scripts, and only the short-lived access token reaches the page.
 */
@Injectable({ providedIn: 'root' })
export class SessionApi {
  private readonly client = inject(SESSION_CLIENT);

  login(username: string, password: string): Promise<ApiResult<LoginResultDto>> {
    return toResult(
      this.client.POST('/api/auth/login', { body: { username, password, session: 'cookie' } }),
    );
  }

  /** The second step of a sign-in: a TOTP or recovery code for the `mfaToken` of login. */
  loginMfa(mfaToken: string, code: string): Promise<ApiResult<SessionDto>> {
    return toResult(
      this.client.POST('/api/auth/login/mfa', { body: { mfaToken, code, session: 'cookie' } }),
    );
  }

  /** A new access token for the refresh cookie (which the API rotates). */
  refresh(): Promise<ApiResult<SessionDto>> {
    return toResult(this.client.POST('/api/auth/refresh', { body: { session: 'cookie' } }));
  }

  /** Ends the session of the refresh cookie and clears it. */
  logout(): Promise<ApiResult<null>> {
    return toDone(this.client.POST('/api/auth/logout', { body: {} }));
  }
}
