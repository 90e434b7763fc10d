import { type Response as InjectResponse } from 'light-my-request';

import { currentTotp } from '../../src/identity/totp';
import { json, type TestApp } from './test-app';

export interface SessionBody {
  accessToken: string;
  refreshToken: string | null;
  refreshExpiresAt: string;
  user: { id: string; username: string; role: string; mfaEnrollmentRequired: boolean };
}

export interface LoginBody {
  mfaRequired: boolean;
  mfaToken: string | null;
  session: SessionBody | null;
}

export function login(
  t: TestApp,
  username: string,
  password: string,
  extra: Record<string, unknown> = {},
  ip = '10.0.0.1',
): Promise<InjectResponse> {
  return t.request({
    method: 'POST',
    url: '/api/auth/login',
    as: null,
    remoteAddress: ip,
    payload: { username, password, ...extra },
  });
}

/** Signs in with password (and the current TOTP code when MFA is on); returns the session body. */
export async function signIn(
  t: TestApp,
  user: { username: string; password: string; mfaSecret: string | null },
): Promise<SessionBody> {
  const response = await login(t, user.username, user.password);
  const body = json<LoginBody>(response);
  if (!body.mfaRequired) return body.session as SessionBody;
  const second = await t.request({
    method: 'POST',
    url: '/api/auth/login/mfa',
    as: null,
    payload: { mfaToken: body.mfaToken, code: currentTotp(user.mfaSecret ?? '') },
  });
  if (second.statusCode !== 200) throw new Error(`MFA sign-in failed: ${second.body}`);
  return json<SessionBody>(second);
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
