import type { HttpAdapterConfig } from '@integrixs/domain';

import type { ConnectionTestResult } from '../shared/steps';
import { makeCertificates, type TestCertificates } from '../testing/certs';
import {
  HTTP_TEST_CREDENTIALS as C,
  startHttpsServer,
  type TestHttpsServer,
} from '../testing/https-server';
import { refusedPort } from '../testing/ports';
import { digest, generatedStream } from '../testing/streams';
import { HttpAdapterSession, testHttpAdapter } from './http-adapter';

describe('HTTP adapter against a real HTTPS server with a self-signed CA', () => {
  let certs: TestCertificates;
  let server: TestHttpsServer;
  let mtls: TestHttpsServer;
  let base: HttpAdapterConfig;

  beforeAll(async () => {
    certs = makeCertificates();
    server = await startHttpsServer(certs);
    mtls = await startHttpsServer(certs, { requireClientCert: true });
    base = {
      baseUrl: `${server.url}/api`,
      healthPath: '/health',
      tls: { caCertificate: certs.ca },
      auth: { type: 'basic', username: C.user },
    };
  });
  afterAll(async () => {
    await server.close();
    await mtls.close();
  });

  const summary = (r: { steps: { step: string; status: string }[] }) =>
    r.steps.map((s) => `${s.step}:${s.status}`);
  const step = (r: ConnectionTestResult, name: string) => r.steps.find((s) => s.step === name);

  it('passes with basic auth when the CA bundle is trusted', async () => {
    const result = await testHttpAdapter(base, { auth: { password: C.password } });
    expect(summary(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      'tls:passed',
      'authenticate:passed',
      'request:passed',
    ]);
    expect(step(result, 'tls')?.message).toContain('trusted');
    expect(step(result, 'request')?.message).toBe('GET /api/health answered HTTP 200');
  });

  it.each<[string, HttpAdapterConfig['auth'], object]>([
    ['bearer', { type: 'bearer' }, { token: C.token }],
    ['api-key', { type: 'api-key', headerName: 'X-API-Key' }, { apiKey: C.apiKey }],
  ])('passes with %s authentication', async (_name, auth, secret) => {
    const result = await testHttpAdapter({ ...base, auth }, { auth: secret });
    expect(result.ok).toBe(true);
  });

  it('obtains an OAuth2 client-credentials token and uses it', async () => {
    const auth = {
      type: 'oauth2-client-credentials' as const,
      tokenUrl: `${server.url}/oauth/token`,
      clientId: C.clientId,
    };
    const good = await testHttpAdapter(
      { ...base, auth },
      { auth: { clientSecret: C.clientSecret } },
    );
    expect(good.ok).toBe(true);
    expect(step(good, 'authenticate')?.message).toBe(
      'access token obtained from the token endpoint',
    );
    const bad = await testHttpAdapter({ ...base, auth }, { auth: { clientSecret: 'wrong' } });
    expect(step(bad, 'authenticate')).toMatchObject({
      status: 'failed',
      message: `token endpoint rejected client ${C.clientId} (HTTP 401)`,
    });
  });

  it('fails at request with a wrong password, naming the user', async () => {
    const result = await testHttpAdapter(base, { auth: { password: 'wrong-secret-value' } });
    // The attempted password appears in no step message.
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value');
    expect(step(result, 'request')).toMatchObject({
      status: 'failed',
      message: `authentication failed: /api/health answered HTTP 401 for user ${C.user}`,
    });
  });

  it('fails at tls when the server certificate is not signed by a trusted CA', async () => {
    const result = await testHttpAdapter(
      { ...base, tls: { caCertificate: certs.otherCa } },
      { auth: { password: C.password } },
    );
    expect(step(result, 'tls')).toMatchObject({ status: 'failed' });
    expect(step(result, 'tls')?.message).toMatch(/^TLS certificate not trusted \(/);
    expect(summary(result).slice(3)).toEqual(['authenticate:skipped', 'request:skipped']);
  });

  it('fails at connect when nothing listens on the port', async () => {
    const port = await refusedPort();
    const result = await testHttpAdapter({ ...base, baseUrl: `https://127.0.0.1:${port}` });
    expect(step(result, 'connect')?.message).toBe(`connection refused on 127.0.0.1:${port}`);
  });

  it('reports an unexpected status', async () => {
    const result = await testHttpAdapter(
      { ...base, healthPath: '/missing' },
      { auth: { password: C.password } },
    );
    expect(step(result, 'request')?.message).toBe(
      '/api/missing answered HTTP 404, expected a 2xx status',
    );
  });

  it('presents the configured client certificate for mutual TLS', async () => {
    const config = { ...base, baseUrl: `${mtls.url}/api` };
    const without = await testHttpAdapter(config, { auth: { password: C.password } });
    expect(step(without, 'request')?.message).toContain('HTTP 495');
    const withCert = await testHttpAdapter(
      { ...config, tls: { caCertificate: certs.ca, clientCertificate: certs.clientCert } },
      { auth: { password: C.password }, tls: { clientKey: certs.clientKey } },
    );
    expect(withCert.ok).toBe(true);
  });

  it('streams a large request body and its echoed response', async () => {
    const session = new HttpAdapterSession(base, { auth: { password: C.password } });
    const size = 16 * 1024 * 1024;
    const res = await session.request('/echo', { body: generatedStream(size) });
    expect(res.status).toBe(200);
    expect(await digest(res.body)).toEqual(await digest(generatedStream(size)));
    await session.close();
  });
});
