import jwt from 'jsonwebtoken';

import { JWT_AUDIENCE } from '../src/core/config/app-config';
import { bearer, createApiToken, createPackage, withSession } from './support/access-fixtures';
import { connectEvents, type EventClient } from './support/live-events';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/** Open live-event sockets end with their credentials (issue 14). */
describe('live event sockets and revoked or expired credentials', () => {
  let t: TestApp;
  let baseUrl: string;
  let packageId: string;
  const clients: EventClient[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.listen();
    packageId = await createPackage(t, 'Revocations');
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await t.close();
  });

  const member = () => t.createUser({ role: 'DEVELOPER', packages: { [packageId]: 'DEVELOPER' } });

  async function connect(user: TestUser): Promise<EventClient & { reason: Promise<string> }> {
    const client = await connectEvents(baseUrl, user);
    clients.push(client);
    const reason = new Promise<string>((resolve) =>
      client.socket.once('close', (_code, why) => resolve(why.toString())),
    );
    return { ...client, reason };
  }

  async function createSchema(name: string) {
    const response = await t.request({
      method: 'POST',
      url: `/api/packages/${packageId}/schemas`,
      payload: schemaDocument(name),
    });
    expect(response.statusCode).toBe(201);
  }

  it('closes the sockets of a revoked API token (4401) and keeps its owner’s other sockets', async () => {
    const owner = await member();
    const token = await createApiToken(t, owner, {
      name: 'Live pipeline',
      permissions: ['package:read'],
    });
    const viaToken = await connect(bearer(owner, token.token));
    const viaSession = await connect(owner);

    const revoked = await t.request({
      method: 'DELETE',
      url: `/api/tokens/${token.id}`,
      as: owner,
    });
    expect(revoked.statusCode).toBe(204);

    expect(await viaToken.closed()).toBe(4401);
    expect(await viaToken.reason).toBe('token revoked');
    await createSchema('After token revocation');
    await viaSession.next((m) => m.type === 'asset.created');
    expect(viaSession.socket.readyState).toBe(viaSession.socket.OPEN);
  });

  it('closes the socket of a session signed out (4401) without waiting for an event', async () => {
    const user = await member();
    const other = await withSession(t, user, null);
    const client = await connect(user);
    const otherClient = await connect(other);

    const out = await t.request({ method: 'POST', url: '/api/auth/logout', payload: {}, as: user });
    expect(out.statusCode).toBe(204);

    expect(await client.closed()).toBe(4401);
    expect(await client.reason).toBe('session ended');
    expect(client.messages.map((m) => m.type)).toEqual(['ready']);
    // The user's other session is not signed out: its socket stays and hears events.
    await createSchema('After sign-out');
    await otherClient.next((m) => m.type === 'asset.created');
  });

  it('closes every socket of a user an administrator disables (4401)', async () => {
    const user = await member();
    const token = await createApiToken(t, user, {
      name: 'Disabled',
      permissions: ['package:read'],
    });
    const sockets = [await connect(user), await connect(bearer(user, token.token))];
    const { version } = json<{ version: number }>(
      await t.request({ method: 'GET', url: `/api/users/${user.id}` }),
    );

    const disabled = await t.request({
      method: 'PUT',
      url: `/api/users/${user.id}`,
      payload: { disabled: true, version },
    });
    expect(disabled.statusCode).toBe(200);

    expect(await Promise.all(sockets.map((s) => s.closed()))).toEqual([4401, 4401]);
  });

  it('closes a socket at its access token’s expiry (4001)', async () => {
    const user = await member();
    const claims = jwt.decode(user.token) as Record<string, unknown>;
    const shortLived = jwt.sign(
      { typ: claims['typ'], sub: claims['sub'], role: claims['role'], sid: claims['sid'] },
      t.config.jwtSecret ?? '',
      { algorithm: 'HS256', expiresIn: 2, issuer: t.config.jwtIssuer, audience: JWT_AUDIENCE },
    );
    const client = await connect(bearer(user, shortLived));
    const expiresAt = (jwt.decode(shortLived) as { exp: number }).exp * 1000;

    expect(await client.closed()).toBe(4001);
    expect(await client.reason).toBe('token expired');
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(client.messages.map((m) => m.type)).toEqual(['ready']);
  });
});
