import { DataSource } from 'typeorm';

import { EventsGateway } from '../src/events/events.gateway';
import { createPackage } from './support/access-fixtures';
import { connectEvents, upgradeStatus, type EventClient } from './support/live-events';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

describe('live events over WebSocket (/api/events)', () => {
  let t: TestApp;
  let baseUrl: string;
  let packageId: string;
  let otherPackageId: string;
  let author: TestUser;
  let reader: TestUser;
  let outsider: TestUser;
  const clients: EventClient[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.listen();
    packageId = await createPackage(t, 'Live orders');
    otherPackageId = await createPackage(t, 'Live invoices');
    author = await t.createUser({ role: 'VIEWER', packages: { [packageId]: 'DEVELOPER' } });
    reader = await t.createUser({ role: 'VIEWER', packages: { [packageId]: 'VIEWER' } });
    outsider = await t.createUser({ role: 'VIEWER', packages: { [otherPackageId]: 'VIEWER' } });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await t.close();
  });

  async function connect(user: TestUser, via: 'header' | 'protocol' = 'header') {
    const client = await connectEvents(baseUrl, user, via);
    clients.push(client);
    return client;
  }

  async function createSchema(pkg: string, name: string, as: TestUser = t.admin) {
    const response = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/schemas`,
      payload: schemaDocument(name),
      as,
    });
    expect(response.statusCode).toBe(201);
    return json<{ id: string; version: number }>(response);
  }

  it('refuses an upgrade without valid credentials with 401', async () => {
    expect(await upgradeStatus(baseUrl)).toBe(401);
    expect(await upgradeStatus(baseUrl, { authorization: 'Bearer not-a-jwt' })).toBe(401);
    expect(await upgradeStatus(baseUrl, {}, ['integrixs.v1', 'integrixs.bearer.forged'])).toBe(401);
    expect(await upgradeStatus(baseUrl, { authorization: `Bearer ${reader.token}` })).toBe(101);
  });

  it("delivers an asset saved by one member to another member's socket, in sequence", async () => {
    const client = await connect(reader, 'protocol');
    expect(client.socket.protocol).toBe('integrixs.v1');
    expect(client.messages[0]).toMatchObject({ type: 'ready', userId: reader.id, seq: 1 });

    const schema = await createSchema(packageId, 'Order', author);
    const created = await client.next((m) => m.type === 'asset.created');
    expect(created).toMatchObject({
      packageId,
      assetId: schema.id,
      assetType: 'SCHEMA',
      version: 1,
    });
    // Right after `ready`, unless the gateway's first resync (its listener just started) came between.
    expect(created.seq).toBe(client.messages.indexOf(created) + 1);
    expect(Object.keys(created).sort()).toEqual(
      [
        'assetId',
        'assetType',
        'currentVersion',
        'packageId',
        'seq',
        'status',
        'type',
        'version',
      ].sort(),
    );

    const deleted = await t.request({
      method: 'DELETE',
      url: `/api/packages/${packageId}/schemas/${schema.id}`,
      headers: { 'if-match': `"${schema.version}"` },
      as: author,
    });
    expect(deleted.statusCode).toBe(204);
    const gone = await client.next((m) => m.type === 'asset.deleted');
    expect(gone).toMatchObject({ packageId, assetId: schema.id });
    // Every message of the connection, numbered without a gap.
    expect(client.messages.map((m) => m.seq)).toEqual(client.messages.map((_, i) => i + 1));
  });

  it('sends a resync to the sockets open while the listener was gone, and none to later ones', async () => {
    const before = await connect(reader);
    // The instance's LISTEN connection dies (a PostgreSQL restart, a network cut); it reconnects.
    await t.db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`,
    );
    expect(await before.next((m) => m.type === 'resync', 20_000)).toMatchObject({ type: 'resync' });
    // Listening again (its LISTEN statements done), then a little for the client to take it in.
    const listening = () =>
      t.db.count(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'LISTEN %' AND state = 'idle'`,
      );
    for (let waited = 0; (await listening()) === 0 && waited < 20_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await connect(reader);
    await createSchema(packageId, 'After the gap', author);
    await after.next((m) => m.type === 'asset.created');
    expect(after.messages.map((m) => m.type)).toEqual(['ready', 'asset.created']);
  });

  it('sends a non-member nothing of a package they cannot read', async () => {
    const client = await connect(outsider);
    await createSchema(packageId, 'Secret order', author);
    // Events are delivered in order: once the readable one arrives, the other would have too.
    const visible = await createSchema(otherPackageId, 'Invoice');
    const first = await client.next((m) => m.type !== 'ready');
    expect(first).toMatchObject({
      type: 'asset.created',
      packageId: otherPackageId,
      assetId: visible.id,
    });
    expect(client.messages.filter((m) => m.packageId === packageId)).toEqual([]);
  });

  it('tells a user of their membership change and stops their events when it is removed', async () => {
    const member = await t.createUser({ role: 'VIEWER', packages: { [packageId]: 'VIEWER' } });
    const client = await connect(member);
    const removed = await t.request({
      method: 'DELETE',
      url: `/api/packages/${packageId}/members/${member.id}`,
    });
    expect(removed.statusCode).toBe(204);
    await client.next((m) => m.type === 'membership.changed' && m.packageId === packageId);
    await createSchema(packageId, 'After removal', author);
    const visible = await createSchema(otherPackageId, 'Marker');
    await t.request({
      method: 'PUT',
      url: `/api/packages/${otherPackageId}/members/${member.id}`,
      payload: { role: 'VIEWER' },
    });
    await client.next((m) => m.type === 'membership.changed' && m.packageId === otherPackageId);
    const another = await createSchema(otherPackageId, 'Marker 2');
    await client.next((m) => m.type === 'asset.created' && m.assetId === another.id);
    expect(client.messages.filter((m) => m.type === 'asset.created').map((m) => m.assetId)).toEqual(
      [another.id],
    );
    expect(visible.id).not.toBe(another.id);
  });

  it('announces package changes to its readers', async () => {
    const client = await connect(reader);
    const current = json<{ version: number }>(
      await t.request({ method: 'GET', url: `/api/packages/${packageId}` }),
    );
    const updated = await t.request({
      method: 'PUT',
      url: `/api/packages/${packageId}`,
      payload: { description: 'changed live', version: current.version },
    });
    expect(updated.statusCode).toBe(200);
    const event = await client.next((m) => m.type === 'package.updated');
    expect(event).toMatchObject({ packageId, version: current.version + 1 });
  });

  it('closes the socket of a user disabled since (4401) at their next event', async () => {
    const user = await t.createUser({ role: 'VIEWER', packages: { [packageId]: 'VIEWER' } });
    const client = await connect(user);
    await t.app
      .get(DataSource)
      .query('UPDATE users SET disabled_at = now() WHERE id = $1', [user.id]);
    await createSchema(packageId, 'After logout', author);
    expect(await client.closed()).toBe(4401);
  });

  it('drops a socket that stops answering pings', async () => {
    const client = await connect(reader);
    const gateway = t.app.get(EventsGateway);
    // Stop the client's automatic pong: the second ping finds it still silent.
    (
      client.socket as unknown as { _receiver: { removeAllListeners(e: string): void } }
    )._receiver.removeAllListeners('ping');
    gateway.setHeartbeat(100);
    try {
      expect(await client.closed()).toBe(1006);
    } finally {
      gateway.setHeartbeat(30_000);
    }
  });
});
