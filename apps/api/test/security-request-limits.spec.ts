import { json, startTestApp, type TestApp } from './support/test-app';

/** `{"a":{"a":…}}` nested `depth` times, built without recursion. */
function nestedObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function nestedArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('request bodies: nesting is capped while parsing, on every JSON route', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers a login with a field nested a million deep with a 400 problem, without signing in', async () => {
    const payload = `{"username":"x","password":"y","extra":${nestedObject(1_000_000)}}`;
    const started = process.hrtime.bigint();
    const response = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      as: null,
      headers: { 'content-type': 'application/json' },
      payload,
    });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(json(response)).toMatchObject({
      status: 400,
      code: 'body_too_deep',
      errors: [{ path: 'body', code: 'body_too_deep' }],
    });
    expect(json<{ detail: string }>(response).detail).toMatch(/nested deeper than \d+ levels/);
    // A reading, not a target: logged so a regression to seconds is visible in the output.
    if (elapsedMs > 1000) console.warn(`deep body refused in ${elapsedMs.toFixed(0)} ms`);
  });

  it('refuses a deep array on an authenticated route the same way (the payload validator too)', async () => {
    const somePackage = `/api/packages/${crypto.randomUUID()}`;
    for (const url of ['/api/packages', `${somePackage}/schemas/${crypto.randomUUID()}/validate`]) {
      const response = await t.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: `{"name":${nestedArray(200_000)}}`,
      });
      expect(response.statusCode).toBe(400);
      expect(json(response)).toMatchObject({ code: 'body_too_deep' });
    }
  });

  it('does not count brackets inside strings', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/packages',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: `brackets ${'['.repeat(5000)}`,
        description: '{'.repeat(5000),
      }),
    });
    expect(response.statusCode).toBe(400);
    // Refused for its name's length by the DTO, not for its depth.
    expect(json(response)).not.toMatchObject({ code: 'body_too_deep' });
  });

  it('accepts nesting up to the cap', async () => {
    const depth = t.config.bodyMaxDepth - 1;
    const response = await t.request({
      method: 'POST',
      url: '/api/packages',
      headers: { 'content-type': 'application/json' },
      payload: `{"name":"deep-ok","tags":[],"description":"d","extra":${nestedArray(depth - 1)}}`,
    });
    // Parsed, then refused for the unknown field by the DTO (not a depth refusal, not a 500).
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'extra', code: 'unknown_field' }],
    });
  });

  it('still refuses prototype pollution keys, and says so', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/packages',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"p","__proto__":{"admin":true}}',
    });
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'body', code: 'forbidden_key' }],
    });
  });

  it('says where a body is not JSON, and that an empty one is not either', async () => {
    const send = (payload: string) =>
      t.request({
        method: 'POST',
        url: '/api/packages',
        headers: { 'content-type': 'application/json' },
        payload,
      });
    const broken = await send('{"name": "p",}');
    expect(json(broken)).toMatchObject({ status: 400, code: 'malformed_json' });
    expect(json<{ detail: string }>(broken).detail).toMatch(/position 13|column 14/);
    expect(json(await send(''))).toMatchObject({ status: 400, code: 'malformed_json' });
  });
});
