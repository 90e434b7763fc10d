import { inject, InjectionToken } from '@angular/core';

import { createApiClient, type ApiClient } from '@integrixs/api-client';

import { ApiSession } from './api-session';
import { authMiddleware } from './auth-middleware';
import { RequestsInFlight } from './requests-in-flight';

/**
 * The typed client for the API on the console's own origin (the API serves the console at `/`),
 * as the signed-in user: every request carries the access token, and a 401 renews it once.
 */
export const API_CLIENT = new InjectionToken<ApiClient>('API_CLIENT', {
  providedIn: 'root',
  factory: () => {
    const client = createApiClient('');
    client.use(authMiddleware(inject(ApiSession), inject(RequestsInFlight)));
    return client;
  },
});

/**
 * The client for the public session routes (sign-in, refresh, sign-out): no access token, and no
 * renewal on 401 (a refused refresh simply means there is no session). The refresh token travels
 * as an httpOnly cookie the browser sends by itself (same origin, path /api/auth).
 */
export const SESSION_CLIENT = new InjectionToken<ApiClient>('SESSION_CLIENT', {
  providedIn: 'root',
  factory: () => createApiClient(''),
});
