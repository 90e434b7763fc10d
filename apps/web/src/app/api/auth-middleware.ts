import { type Middleware } from 'openapi-fetch';

import { isProblemDetails } from '@integrixs/api-client';

import { type ApiSession } from './api-session';
import { type RequestsInFlight } from './requests-in-flight';

const BEARER = /^Bearer (.+)$/;

/**
 * openapi-fetch middleware for the signed-in API: sends `Authorization: Bearer <access token>`,
 * and when the API answers 401 renews the token once (shared with concurrent requests) and
 * repeats the request with the new one. A 401 `mfa_required` (step-up) is not an expired
 * session and is passed on as it is. Each request counts in `inFlight` until its answer is in.
 */
export function authMiddleware(session: ApiSession, inFlight: RequestsInFlight): Middleware {
  /** A copy of each request in flight (body unread), to send again after a renewal. */
  const spares = new Map<string, Request>();

  return {
    onRequest({ request, id }) {
      const token = session.accessToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      spares.set(id, request.clone());
      inFlight.started();
      return request;
    },

    async onResponse({ request, response, id, options }) {
      const spare = spares.get(id);
      spares.delete(id);
      try {
        return await answer(request, response, spare, options.fetch);
      } finally {
        if (spare) inFlight.finished();
      }
    },

    onError({ id }) {
      if (spares.delete(id)) inFlight.finished();
    },
  };

  async function answer(
    request: Request,
    response: Response,
    spare: Request | undefined,
    send: (input: Request) => Promise<Response>, // called unbound: a browser's fetch refuses another `this`
  ): Promise<Response> {
    if (response.status === 401 && spare) {
      if ((await problemCode(response)) === 'mfa_required') return response;
      const sent = BEARER.exec(request.headers.get('Authorization') ?? '')?.[1] ?? null;
      const token = await session.renewAccessToken(sent);
      if (!token) return response;
      spare.headers.set('Authorization', `Bearer ${token}`);
      return send(spare);
    }
    if (response.status === 403 && (await problemCode(response)) === 'mfa_enrollment_required') {
      session.mfaEnrolmentRequired();
    }
    return response;
  }
}

async function problemCode(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.clone().json();
    return isProblemDetails(body) ? body.code : null;
  } catch {
    return null;
  }
}
