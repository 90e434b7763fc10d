import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { json, startTestApp, type TestApp } from './support/test-app';

describe('console served by the API on the same port', () => {
  let t: TestApp;

  beforeAll(async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'integrixs-web-'));
    writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><title>Integrixs</title><ix-root></ix-root>',
    );
    writeFileSync(path.join(dist, 'main-ABCDEFGH.js'), 'console.log("app")');
    writeFileSync(path.join(dist, 'favicon.ico'), 'icon');
    t = await startTestApp({ config: { webDistDir: dist } });
  });
  afterAll(() => t.close());

  it('serves index.html at / and for client-side routes', async () => {
    for (const url of [
      '/',
      '/packages',
      '/packages/3f8a4a4e-93b4-4a53-9d3a-5b8f1f1c9a10?tab=flows',
    ]) {
      const response = await t.request({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<ix-root>');
    }
  });

  it('serves built files, hashed ones as immutable', async () => {
    const script = await t.request({ method: 'GET', url: '/main-ABCDEFGH.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['cache-control']).toContain('immutable');
    expect((await t.request({ method: 'GET', url: '/favicon.ico' })).headers['cache-control']).toBe(
      'no-cache',
    );
  });

  it('keeps /api and /metrics for the API: unknown API routes are 404 problems, not the console', async () => {
    const unknown = await t.request({ method: 'GET', url: '/api/not-a-route' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(json<{ code: string }>(unknown).code).toBe('not_found');
    expect(
      (await t.request({ method: 'GET', url: '/api/packages' })).headers['content-type'],
    ).toContain('application/json');
    expect((await t.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });
});
