import { migrateDatabase } from '../src/core/database/migrator';
import { freePort } from './support/free-port';
import { RestartablePostgres } from './support/restartable-postgres';
import { json, startTestApp, type TestApp } from './support/test-app';

describe('PostgreSQL restarted while the API runs', () => {
  let postgres: RestartablePostgres;
  let t: TestApp;

  beforeAll(async () => {
    postgres = new RestartablePostgres(await freePort());
    await postgres.start();
    const url = await postgres.createDatabase('outage');
    await migrateDatabase(url);
    t = await startTestApp({ databaseUrl: url, config: { databaseConnectTimeoutMs: 1000 } });
  }, 60000);

  afterAll(async () => {
    await t.close();
    await postgres.destroy();
  });

  it('answers 503 problem+json fast during the outage and recovers without a restart', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/packages',
      payload: { name: 'Before outage' },
    });
    expect(created.statusCode).toBe(201);

    await postgres.stop();

    for (const request of [
      { method: 'GET' as const, url: '/api/packages' },
      { method: 'POST' as const, url: '/api/packages', payload: { name: 'During outage' } },
      { method: 'GET' as const, url: `/api/packages/${json<{ id: string }>(created).id}` },
    ]) {
      const started = Date.now();
      const response = await t.request(request);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['retry-after']).toBe('5');
      expect(json<{ code: string }>(response).code).toBe('database_unavailable');
    }
    const health = await t.request({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(json<{ ready: boolean }>(health).ready).toBe(false);
    // Up or down only: no error text (it named the server's address) for an anonymous caller.
    const anonymous = await t.request({ method: 'GET', url: '/api/health', as: null });
    expect(json(anonymous)).toEqual({
      status: 'unavailable',
      live: true,
      ready: false,
      uptimeSeconds: expect.any(Number) as number,
      checks: { database: { status: 'down', latencyMs: expect.any(Number) as number } },
    });
    expect(anonymous.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect|terminat/i);

    await postgres.start();

    // The pool drops dead connections and opens new ones: the API serves again on its own.
    let recovered = await t.request({ method: 'GET', url: '/api/packages' });
    for (let attempt = 0; recovered.statusCode !== 200 && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      recovered = await t.request({ method: 'GET', url: '/api/packages' });
    }
    expect(recovered.statusCode).toBe(200);
    expect(json<{ items: { name: string }[] }>(recovered).items.map((p) => p.name)).toEqual([
      'Before outage',
    ]);
    const after = await t.request({
      method: 'POST',
      url: '/api/packages',
      payload: { name: 'After outage' },
    });
    expect(after.statusCode).toBe(201);
    expect((await t.request({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  }, 60000);
});
