import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { createPackage } from './support/access-fixtures';
import { json, startTestApp, type TestApp } from './support/test-app';

interface Line {
  type: 'step' | 'result' | 'error';
  step?: { step: string; status: string; durationMs: number; message: string };
  result?: { ok: boolean; environment: string; steps: { step: string; status: string }[] };
}

/** Reads an NDJSON body line by line as it arrives. */
async function* linesOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Line> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.trim()) yield JSON.parse(line) as Line;
    }
  }
}

describe('streamed connection tests (Accept: application/x-ndjson)', () => {
  let t: TestApp;
  let base: string;
  let adapterUrl: string;
  let health: Server;
  /** Answers the held health request; set while one waits. */
  let answerHealth: (() => void) | null = null;
  const healthRequested: (() => void)[] = [];

  beforeAll(async () => {
    health = createServer((_request, response) => {
      answerHealth = () => response.end('ok');
      healthRequested.shift()?.();
    });
    health.listen(0, '127.0.0.1');
    await once(health, 'listening');
    const port = (health.address() as AddressInfo).port;
    t = await startTestApp();
    base = await t.listen();
    const pkg = await createPackage(t, 'Streamed tests');
    const created = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/adapters`,
      payload: {
        name: 'Held health check',
        adapterType: 'HTTP',
        direction: 'TARGET',
        configuration: { baseUrl: `http://127.0.0.1:${port}`, healthPath: '/health' },
      },
    });
    expect(created.statusCode).toBe(201);
    adapterUrl = `/api/packages/${pkg}/adapters/${json<{ id: string }>(created).id}`;
  });
  afterAll(async () => {
    await t.close();
    health.closeAllConnections();
    health.close();
  });

  const post = (path: string, accept: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.admin.token}`, accept },
    });

  it('sends each step as it completes, before the slow health request has answered', async () => {
    const requested = new Promise<void>((resolve) => healthRequested.push(resolve));
    const response = await post(`${adapterUrl}/test?environment=DEV`, 'application/x-ndjson');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    if (!response.body) throw new Error('no body');
    const seen: Line[] = [];
    for await (const line of linesOf(response.body)) {
      seen.push(line);
      if (line.type === 'step' && line.step?.step === 'authenticate') {
        // Four steps arrived while the health server still holds its request open.
        await requested;
        expect(seen.map((l) => l.step?.step)).toEqual([
          'resolve',
          'connect',
          'tls',
          'authenticate',
        ]);
        answerHealth?.();
      }
    }
    expect(
      seen.map((l) => (l.type === 'step' ? `${l.step?.step}:${l.step?.status}` : l.type)),
    ).toEqual([
      'resolve:passed',
      'connect:passed',
      'tls:skipped',
      'authenticate:passed',
      'request:passed',
      'result',
    ]);
    const result = seen.at(-1)?.result;
    expect(result).toMatchObject({ ok: true, environment: 'DEV' });
    expect(result?.steps.map((s) => s.step)).toEqual(seen.slice(0, -1).map((l) => l.step?.step));
    // The streamed result is kept like any other.
    const last = await t.request({ method: 'GET', url: `${adapterUrl}/test?environment=DEV` });
    expect(json<{ lastTest: { ok: boolean } }>(last).lastTest.ok).toBe(true);
  });

  it('still answers one JSON document by default', async () => {
    const requested = new Promise<void>((resolve) => healthRequested.push(resolve));
    const pending = post(`${adapterUrl}/test?environment=DEV`, 'application/json');
    await requested;
    answerHealth?.();
    const response = await pending;
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { ok: boolean; steps: unknown[] };
    expect(body).toMatchObject({ ok: true, environment: 'DEV' });
    expect(body.steps).toHaveLength(5);
  });

  it('answers problems found before the test starts as problem+json, not as a stream', async () => {
    const response = await post(
      `${adapterUrl.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000')}/test?environment=DEV`,
      'application/x-ndjson',
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
