import {
  HTTP_TEST_CREDENTIALS as C,
  makeCertificates,
  refusedPort,
  startHttpsServer,
  type TestCertificates,
  type TestHttpsServer,
} from '@integrixs/adapters/testing';

import { createPackage } from './support/access-fixtures';
import {
  connectionTest,
  createAdapter,
  expectKept,
  failedStep,
  putOverlay,
  setSecrets,
  summary,
} from './support/adapter-connections';
import { startTestApp, type TestApp } from './support/test-app';

const WRONG = 'api-http-wrong-Pw-3f9e';

describe('HTTP(S) connection tests through the API, against a server with a self-signed CA', () => {
  let t: TestApp;
  let pkg: string;
  let certs: TestCertificates;
  let server: TestHttpsServer;
  let basicUrl: string;
  let bearerUrl: string;

  beforeAll(async () => {
    certs = makeCertificates();
    server = await startHttpsServer(certs);
    t = await startTestApp();
    pkg = await createPackage(t, 'HTTP connections');
    const adapter = (name: string, auth: object) =>
      createAdapter(t, pkg, {
        name,
        adapterType: 'HTTP',
        direction: 'TARGET',
        configuration: {
          baseUrl: `${server.url}/api`,
          healthPath: '/health',
          tls: { caCertificate: certs.ca },
          auth,
        },
      });
    basicUrl = await adapter('Partner API (basic)', {
      type: 'basic',
      username: C.user,
      password: C.password,
    });
    bearerUrl = await adapter('Partner API (bearer)', { type: 'bearer', token: C.token });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('passes every step with basic auth when the CA bundle is trusted', async () => {
    const result = await connectionTest(t, basicUrl, 'DEV');
    expect(summary(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      'tls:passed',
      'authenticate:passed',
      'request:passed',
    ]);
    expect(result.steps.find((s) => s.step === 'tls')?.message).toContain('trusted');
    expect(result.steps.at(-1)?.message).toBe('GET /api/health answered HTTP 200');
    expect((await connectionTest(t, bearerUrl, 'DEV')).ok).toBe(true);
  });

  it('fails at request with a wrong password set for TEST, naming the user', async () => {
    await setSecrets(t, basicUrl, 'TEST', { '/auth/password': WRONG });
    const result = await connectionTest(t, basicUrl, 'TEST');
    expect(failedStep(result)).toMatchObject({
      step: 'request',
      message: `authentication failed: /api/health answered HTTP 401 for user ${C.user}`,
    });
    expect(JSON.stringify(result)).not.toContain(WRONG);
  });

  it('fails at tls when PROD trusts another CA than the one that signed the server', async () => {
    await putOverlay(t, basicUrl, 'PROD', { tls: { caCertificate: certs.otherCa } });
    const result = await connectionTest(t, basicUrl, 'PROD');
    expect(failedStep(result)?.step).toBe('tls');
    expect(failedStep(result)?.message).toMatch(/^TLS certificate not trusted \(/);
    expect(summary(result).slice(-2)).toEqual(['authenticate:skipped', 'request:skipped']);
  });

  it('fails at connect when nothing listens on the configured port', async () => {
    const port = await refusedPort();
    await putOverlay(t, bearerUrl, 'PROD', { baseUrl: `https://127.0.0.1:${port}/api` });
    const result = await connectionTest(t, bearerUrl, 'PROD');
    expect(failedStep(result)).toMatchObject({
      step: 'connect',
      message: `connection refused on 127.0.0.1:${port}`,
    });
  });

  it('keeps the last result per adapter and environment', async () => {
    const results = [
      await connectionTest(t, basicUrl, 'DEV'),
      await connectionTest(t, basicUrl, 'TEST'),
      await connectionTest(t, basicUrl, 'PROD'),
    ];
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    await expectKept(t, basicUrl, results);
    const bearerProd = await connectionTest(t, bearerUrl, 'PROD');
    await expectKept(t, bearerUrl, [bearerProd]);
    expect(bearerProd.ok).toBe(false);
  });
});
