import { randomBytes } from 'node:crypto';

import { type FastifyRequest } from 'fastify';
import jwt from 'jsonwebtoken';

import { loadConfig } from '../core/config/app-config';
import { UnauthenticatedError } from '../core/errors/app-error';
import { AccessTokens } from './access-tokens';
import { AccessService } from './access.service';
import { BearerAuthenticator } from './strategies';

const USER = '0b6f8a34-8a1f-4c61-9b51-1d8d0f1f4f11';
const SESSION = '6f0c1a5e-2f61-4b7e-8a8e-3c7f4b2b9d22';

function request(authorization?: string): FastifyRequest {
  return { headers: authorization === undefined ? {} : { authorization } } as FastifyRequest;
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return (error as UnauthenticatedError).message;
}

describe('BearerAuthenticator', () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    INTEGRIXS_JWT_SECRET: randomBytes(48).toString('base64url'),
    INTEGRIXS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  const tokens = new AccessTokens(config);
  // Access tokens need no database: the user's state is checked later, by AccessService.resolve.
  const bearer = new BearerAuthenticator(tokens, new AccessService(null as never, null as never));

  afterEach(() => jest.restoreAllMocks());

  it('accepts a valid access token, in any case of the bearer scheme, and again from memory', async () => {
    const { token } = tokens.issueAccess(
      { id: USER, role: 'DEVELOPER' },
      { id: SESSION, mfaAt: null },
    );
    for (const header of [`Bearer ${token}`, `bearer ${token}`, `Bearer ${token}`]) {
      const principal = await bearer.authenticate(request(header));
      expect(principal).toMatchObject({ kind: 'user', userId: USER, sessionId: SESSION });
      expect(principal.verified).toBe(false);
    }
  });

  it('refuses a remembered token once it has expired, as a fresh verification would', async () => {
    const { token, expiresIn } = tokens.issueAccess(
      { id: USER, role: 'DEVELOPER' },
      { id: SESSION, mfaAt: null },
    );
    await bearer.authenticate(request(`Bearer ${token}`));
    const later = Date.now() + (expiresIn + 6) * 1000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(await refusal(bearer.authenticate(request(`Bearer ${token}`)))).toBe(
      'the access token has expired; refresh it or sign in again',
    );
  });

  it('refuses forged, foreign-algorithm and missing tokens with the same reasons as before', async () => {
    const forged = jwt.sign(
      { typ: 'access', sub: USER, sid: SESSION, role: 'ADMINISTRATOR' },
      'x',
      {
        algorithm: 'HS256',
        expiresIn: 60,
        issuer: config.jwtIssuer,
        audience: 'integrixs-api',
      },
    );
    expect(await refusal(bearer.authenticate(request(`Bearer ${forged}`)))).toBe(
      'the access token is not valid (invalid signature)',
    );
    const none = jwt.sign({ typ: 'access', sub: USER, sid: SESSION, role: 'ADMINISTRATOR' }, '', {
      algorithm: 'none',
    });
    expect(await refusal(bearer.authenticate(request(`Bearer ${none}`)))).toMatch(
      /^the access token is not valid \(/,
    );
    expect(await refusal(bearer.authenticate(request()))).toBe(
      'this request needs a valid access token or API token',
    );
    expect(await refusal(bearer.authenticate(request('Basic dXNlcjpwYXNz')))).toBe(
      'this request needs a valid access token or API token',
    );
  });

  it('refuses a valid JWT that is not an access token', async () => {
    const challenge = tokens.issueMfaChallenge(USER);
    expect(await refusal(bearer.authenticate(request(`Bearer ${challenge}`)))).toBe(
      'not an access token',
    );
  });
});
