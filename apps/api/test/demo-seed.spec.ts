import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEMO_PACKAGE_NAME } from '../src/demo/demo-seeder';
import { json, startTestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('demo package seeding', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const boot = () => startTestApp({ databaseUrl: db.url, config: { seedDemo: true } });

  it('seeds the UBL 2.1 demo package once, and a deleted demo stays deleted', async () => {
    // Two instances starting together seed it once.
    const [first, second] = await Promise.all([boot(), boot()]);
    const page = json<{
      items: { id: string; name: string; assetCounts: Record<string, number> }[];
    }>(await first.request({ method: 'GET', url: '/api/packages' }));
    expect(page.items).toHaveLength(1);
    const demo = page.items[0];
    expect(demo).toMatchObject({
      name: DEMO_PACKAGE_NAME,
      assetCounts: { SCHEMA: 3, MAPPING: 1 },
    });

    const invoice = json<{ items: { id: string; name: string }[] }>(
      await first.request({
        method: 'GET',
        url: `/api/packages/${demo.id}/container/schemas?q=ubl%20invoice`,
      }),
    ).items[0];
    const detail = json<{ name: string; content: { main: string; files: { path: string }[] } }>(
      await first.request({ method: 'GET', url: `/api/packages/${demo.id}/schemas/${invoice.id}` }),
    );
    expect(detail.name).toBe('UBL Invoice 2.1');
    expect(detail.content.main).toBe('maindoc/UBL-Invoice-2.1.xsd');
    expect(detail.content.files).toHaveLength(16);
    const example = readFileSync(
      join(__dirname, '../src/demo/data/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml'),
      'utf8',
    );
    const validated = await first.request({
      method: 'POST',
      url: `/api/packages/${demo.id}/schemas/${invoice.id}/validate`,
      headers: { 'content-type': 'application/xml' },
      payload: example,
    });
    expect(json(validated)).toEqual({ version: 1, valid: true, errors: [] });

    // The UBL Invoice → invoice summary mapping passes its sample (the OASIS example).
    const mapping = json<{ items: { id: string }[] }>(
      await first.request({ method: 'GET', url: `/api/packages/${demo.id}/container/mappings` }),
    ).items[0];
    const run = json<{ total: number; passed: number; results: { diff: unknown[] }[] }>(
      await first.request({
        method: 'POST',
        url: `/api/packages/${demo.id}/mappings/${mapping.id}/test-all`,
        payload: {},
      }),
    );
    expect(run).toMatchObject({ total: 1, passed: 1, results: [{ diff: [] }] });

    expect(
      (await first.request({ method: 'DELETE', url: `/api/packages/${demo.id}` })).statusCode,
    ).toBe(204);
    await Promise.all([first.close(), second.close()]);

    const third = await boot();
    expect(
      json<{ total: number }>(await third.request({ method: 'GET', url: '/api/packages' })).total,
    ).toBe(0);
    await third.close();
  }, 60_000);
});
