import { type Middleware } from 'openapi-fetch';

import { isProblemDetails } from '@integrixs/api-client';

import { type ApiSession } from './api-session';

const BEARER = /^Bearer (.+)$/;

/**
 * openapi-fetch middleware for the signed-in API: sends `Authorization: Bearer <access token>`,
 * and when the API answers 401 renews the token once (shared with concurrent requests) and
 * repeats the request with the new one. A 401 `mfa_required` (step-up) is not an expired
 * session and is passed on as it is.
 */
export function authMiddleware(session: ApiSession): Middleware {
  /** A copy of each request in flight (body unread), to send again after a renewal. */
  const spares = new Map<string, Request>();

  return {
    onRequest({ request, id }) {
      const token = session.accessToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      spares.set(id, request.clone());
      return request;
    },

    async onResponse({ request, response, id, options }) {
      const spare = spares.get(id);
      spares.delete(id);
      if (response.status === 401 && spare) {
        if ((await problemCode(response)) === 'mfa_required') return response;
        const sent = BEARER.exec(request.headers.get('Authorization') ?? '')?.[1] ?? null;
        const token = await session.renewAccessToken(sent);
        if (!token) return response;
        spare.headers.set('Authorization', `Bearer ${token}`);
        const send = options.fetch; // called unbound: a browser's fetch refuses another `this`
        return send(spare);
      }
      if (response.status === 403 && (await problemCode(response)) === 'mfa_enrollment_required') {
        session.mfaEnrolmentRequired();
      }
      return response;
    },

    onError({ id }) {
      spares.delete(id);
    },
  };
}

async function problemCode(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.clone().json();
    return isProblemDetails(body) ? body.code : null;
  } catch {
    return null;
  }
}
