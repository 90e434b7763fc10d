import { randomUUID } from 'node:crypto';

import jwt from 'jsonwebtoken';

import { JWT_AUDIENCE } from '../src/core/config/app-config';
import { bearer, login, type LoginBody } from './support/auth-flows';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

describe('access token checks', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    user = await t.createUser({ role: 'DEVELOPER' });
  });
  afterAll(() => t.close());

  /** The claims of a token of the user's session (an open one: createUser signed them in). */
  const claims = () => ({
    typ: 'access',
    sub: user.id,
    role: 'DEVELOPER',
    sid: (jwt.decode(user.token) as { sid: string }).sid,
  });
  const sign = (
    payload: object,
    options: jwt.SignOptions,
    key: string = t.config.jwtSecret ?? '',
  ) => jwt.sign(payload, key, options);
  const good: jwt.SignOptions = {
    algorithm: 'HS256',
    expiresIn: 60,
    issuer: 'integrixs',
    audience: JWT_AUDIENCE,
  };
  const call = (token: string) =>
    t.request({ method: 'GET', url: '/api/packages', as: null, headers: bearer(token) });

  it('accepts a well-formed token', async () => {
    expect((await call(sign(claims(), good))).statusCode).toBe(200);
  });

  const unsigned = (payload: object) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

  it.each([
    [
      'a forged signature (another key)',
      () => sign(claims(), good, 'an-attacker-key-that-is-long-enough-000'),
    ],
    [
      'alg "none"',
      () =>
        unsigned({
          ...claims(),
          iss: 'integrixs',
          aud: JWT_AUDIENCE,
          exp: Math.floor(Date.now() / 1000) + 60,
        }),
    ],
    ['another algorithm (HS512)', () => sign(claims(), { ...good, algorithm: 'HS512' })],
    [
      'an expired token',
      () =>
        sign(
          { ...claims(), exp: Math.floor(Date.now() / 1000) - 60 },
          { algorithm: 'HS256', issuer: 'integrixs', audience: JWT_AUDIENCE },
        ),
    ],
    ['a token not valid yet (nbf)', () => sign(claims(), { ...good, notBefore: 3600 })],
    ['the wrong audience', () => sign(claims(), { ...good, audience: 'another-api' })],
    ['the wrong issuer', () => sign(claims(), { ...good, issuer: 'someone-else' })],
    ['an MFA challenge used as an access token', () => sign({ typ: 'mfa', sub: user.id }, good)],
    ['a token without a type', () => sign({ sub: user.id, sid: claims().sid }, good)],
    ['a token without a session', () => sign({ ...claims(), sid: undefined }, good)],
    [
      'a token for a session that does not exist',
      () => sign({ ...claims(), sid: randomUUID() }, good),
    ],
    ['a token whose session id is not a UUID', () => sign({ ...claims(), sid: 'x' }, good)],
    [
      'a token for a user that does not exist',
      () => sign({ ...claims(), sub: randomUUID() }, good),
    ],
    ['garbage', () => 'not.a.jwt'],
  ])('refuses %s with 401', async (_name, token) => {
    const response = await call(token());
    expect(response.statusCode).toBe(401);
    expect(json(response)).toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses a refresh token presented as an access token', async () => {
    const session = json<LoginBody>(await login(t, user.username, user.password)).session;
    expect((await call(session?.refreshToken ?? '')).statusCode).toBe(401);
  });

  it('audits refused credentials', async () => {
    await call(sign(claims(), good, 'an-attacker-key-that-is-long-enough-000'));
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'ACCESS_DENIED' AND entity_type = 'auth'`,
      ),
    ).toBeGreaterThan(0);
  });
});
