import { createPackage } from './support/access-fixtures';
import { connectEvents } from './support/live-events';
import { schemaDocument } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * Two API instances on one database: events travel through PostgreSQL NOTIFY, so a change made
 * through one instance reaches the sockets of the other.
 */
describe('live events across API instances', () => {
  let first: TestApp;
  let second: TestApp;
  let secondUrl: string;

  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({ databaseUrl: first.db.url });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('delivers a change made through instance 1 to a client of instance 2', async () => {
    const packageId = await createPackage(first, 'Two instances');
    const author = await first.createUser({
      role: 'VIEWER',
      packages: { [packageId]: 'DEVELOPER' },
    });
    const reader = await first.createUser({ role: 'VIEWER', packages: { [packageId]: 'VIEWER' } });
    secondUrl = await second.listen();
    const client = await connectEvents(secondUrl, reader);
    try {
      const response = await first.request({
        method: 'POST',
        url: `/api/packages/${packageId}/schemas`,
        payload: schemaDocument('Shared'),
        as: author,
      });
      expect(response.statusCode).toBe(201);
      const schema = json<{ id: string }>(response);
      const event = await client.next((m) => m.type === 'asset.created');
      expect(event).toMatchObject({ packageId, assetId: schema.id, assetType: 'SCHEMA' });
      // Numbered without a gap (a resync of a just-started listener may come before it).
      expect(client.messages.map((m) => m.seq)).toEqual(client.messages.map((_, i) => i + 1));
    } finally {
      client.close();
    }
  });

  it('ends open sockets (1001) when the HTTP server closes, as at SIGTERM, without waiting for them', async () => {
    const reader = await first.createUser({ role: 'VIEWER' });
    const client = await connectEvents(secondUrl, reader);
    const started = Date.now();
    // What main.ts does first on SIGTERM: Fastify's close, which waits for every connection.
    await (second.app.getHttpAdapter().close() as Promise<void>);
    expect(await client.closed()).toBe(1001);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
