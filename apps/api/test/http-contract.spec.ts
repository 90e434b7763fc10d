import { json, startTestApp, type TestApp } from './support/test-app';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors: { path: string; message: string; code: string }[];
  traceId: string;
}

describe('HTTP contract: problem+json for bad input, health, metrics, OpenAPI', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ config: { bodyLimitBytes: 4096 } });
  });
  afterAll(() => t.close());

  const expectProblem = (
    response: Awaited<ReturnType<TestApp['request']>>,
    status: number,
    code: string,
  ): Problem => {
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
      status,
      type: 'application/problem+json; charset=utf-8',
    });
    const problem = json<Problem>(response);
    expect(problem).toMatchObject({
      status,
      code,
      type: `https://integrixs.io/problems/${code.replace(/_/g, '-')}`,
    });
    expect(problem.traceId).toBe(response.headers['x-request-id']);
    expect(problem.title).toEqual(expect.any(String));
    return problem;
  };

  it('answers 400 malformed_json to broken or empty JSON', async () => {
    const broken = await t.request({
      method: 'POST',
      url: '/api/packages',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(expectProblem(broken, 400, 'malformed_json').instance).toBe('/api/packages');
    const empty = await t.request({
      method: 'POST',
      url: '/api/packages',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expectProblem(empty, 400, 'malformed_json');
  });

  it('answers 415 to a body that is not JSON', async () => {
    for (const type of [
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await t.request({
        method: 'POST',
        url: '/api/packages',
        headers: { 'content-type': type },
        payload: 'name=x',
      });
      expect(expectProblem(response, 415, 'unsupported_media_type').errors[0]?.path).toBe(
        'content-type',
      );
    }
  });

  it('answers 413 to a body over the configured cap and writes nothing', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/packages',
      payload: { name: 'Big', description: 'x'.repeat(5000) },
    });
    expectProblem(response, 413, 'payload_too_large');
    const { rows } = await t.db.pool.query(`SELECT 1 FROM integration_packages WHERE name = 'Big'`);
    expect(rows).toHaveLength(0);
  });

  it('refuses values PostgreSQL cannot store (NUL characters, over-deep content) with 400', async () => {
    const nul = await t.request({
      method: 'POST',
      url: '/api/packages',
      payload: { name: 'Nul', description: 'a\u0000b' },
    });
    expect(expectProblem(nul, 400, 'validation_failed').errors[0]?.path).toBe('description');
    const pkg = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Deep' } }),
    );
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    const tooDeep = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg.id}/flows`,
      payload: { name: 'f', nodes: [{ deep }] },
    });
    expect(expectProblem(tooDeep, 400, 'validation_failed').errors[0]).toMatchObject({
      path: 'nodes',
      code: 'storableJson',
    });
    const nulContent = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg.id}/flows`,
      payload: { name: 'f', nodes: [{ 'k\u0000': 1 }] },
    });
    expectProblem(nulContent, 400, 'validation_failed');
  });

  it('answers 404 problem+json for unknown routes and methods', async () => {
    expectProblem(await t.request({ method: 'GET', url: '/api/nothing-here' }), 404, 'not_found');
    expectProblem(await t.request({ method: 'PATCH', url: '/api/packages' }), 404, 'not_found');
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const kept = await t.request({
      method: 'GET',
      url: '/api/packages',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.request({
      method: 'GET',
      url: '/api/packages',
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports liveness and database readiness at /api/health', async () => {
    const response = await t.request({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({
      status: 'ok',
      live: true,
      ready: true,
      checks: { database: { status: 'up' } },
    });
  });

  it('exposes Prometheus metrics: latency histogram by route template and pool gauges', async () => {
    const pkg = json<{ id: string }>(
      await t.request({ method: 'POST', url: '/api/packages', payload: { name: 'Metered' } }),
    );
    await t.request({ method: 'GET', url: `/api/packages/${pkg.id}` });
    const response = await t.request({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/packages\/:id",status_code="200"\} 1/,
    );
    expect(response.body).toMatch(/^db_pool_connections_total \d+/m);
    expect(response.body).toMatch(/^db_pool_requests_waiting \d+/m);
  });

  it('serves Swagger UI at /api/docs and the OpenAPI document at /api/docs-json', async () => {
    const ui = await t.request({ method: 'GET', url: '/api/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger-ui');
    const doc = json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>(await t.request({ method: 'GET', url: '/api/docs-json' }));
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/packages',
      '/api/packages/{id}',
      '/api/packages/{id}/restore',
      '/api/packages/{id}/container/contents',
      '/api/packages/{id}/container/schemas',
      '/api/packages/{id}/container/adapters',
      '/api/packages/{id}/container/flows',
      '/api/packages/{id}/schemas',
      '/api/packages/{id}/schemas/{schemaId}',
      '/api/packages/{id}/adapters/{adapterId}',
      '/api/packages/{id}/flows/{flowId}',
      '/api/assets',
      '/api/health',
      '/metrics',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(Object.keys(doc.paths['/api/packages/{id}']?.['put']?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '404', '409', '412', '413', '415', '428', '503']),
    );
  });
});
