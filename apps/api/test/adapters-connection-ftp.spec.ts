import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import {
  makeCertificates,
  refusedPort,
  startFtpServer,
  tempDir,
  type TestCertificates,
  type TestFtpServer,
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

const PASSWORD = 'api-ftp-connection-Pw-6d20';
const WRONG = 'api-ftp-wrong-Pw-11af';

describe('FTP and explicit FTPS connection tests through the API, against real servers', () => {
  let t: TestApp;
  let pkg: string;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let certs: TestCertificates;
  let plain: TestFtpServer;
  let explicit: TestFtpServer;
  let plainUrl: string;
  let ftpsUrl: string;
  const config = (server: TestFtpServer, tls: 'none' | 'explicit') => ({
    host: '127.0.0.1',
    port: server.port,
    username: 'flow',
    password: PASSWORD,
    tls,
    ...(tls === 'explicit' ? { caCertificate: certs.ca } : {}),
    remoteFolder: '/inbox',
  });

  beforeAll(async () => {
    dir = await tempDir('api-ftp');
    await mkdir(join(dir.path, 'inbox'));
    certs = makeCertificates();
    const user = { root: dir.path, username: 'flow', password: PASSWORD, certs };
    plain = await startFtpServer({ ...user, tls: 'none' });
    explicit = await startFtpServer({ ...user, tls: 'explicit' });
    t = await startTestApp();
    pkg = await createPackage(t, 'FTP connections');
    const adapter = (name: string, configuration: object) =>
      createAdapter(t, pkg, { name, adapterType: 'FTP', direction: 'SOURCE', configuration });
    plainUrl = await adapter('Plain FTP', config(plain, 'none'));
    ftpsUrl = await adapter('Explicit FTPS', config(explicit, 'explicit'));
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([plain?.close(), explicit?.close()]);
    await dir?.remove();
  });

  it('plain FTP: every step passes in order (no TLS) and the write probe is removed', async () => {
    const result = await connectionTest(t, plainUrl, 'DEV');
    expect(summary(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      'tls:skipped',
      'authenticate:passed',
      'list:passed',
      'permissions:passed',
    ]);
    expect(result.testedBy).toBe(t.admin.id);
    expect(await readdir(join(dir.path, 'inbox'))).toEqual([]);
  });

  it('explicit FTPS: AUTH TLS is trusted through the configured CA bundle', async () => {
    const result = await connectionTest(t, ftpsUrl, 'DEV');
    expect(summary(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      'tls:passed',
      'authenticate:passed',
      'list:passed',
      'permissions:passed',
    ]);
  });

  it('fails at authenticate with a wrong password set for TEST, naming the user', async () => {
    await setSecrets(t, ftpsUrl, 'TEST', { '/password': WRONG });
    const result = await connectionTest(t, ftpsUrl, 'TEST');
    expect(failedStep(result)).toMatchObject({
      step: 'authenticate',
      message: 'authentication failed for user flow',
    });
    expect(JSON.stringify(result)).not.toContain(WRONG);
  });

  it('fails at tls when PROD trusts a CA that did not sign the server certificate', async () => {
    await putOverlay(t, ftpsUrl, 'PROD', { caCertificate: certs.otherCa });
    const result = await connectionTest(t, ftpsUrl, 'PROD');
    expect(failedStep(result)?.step).toBe('tls');
    expect(failedStep(result)?.message).toMatch(/^TLS certificate not trusted \(/);
    expect(summary(result).slice(-3)).toEqual([
      'authenticate:skipped',
      'list:skipped',
      'permissions:skipped',
    ]);
  });

  it('fails at connect on a refused port, and at list when the folder is missing', async () => {
    const port = await refusedPort();
    await putOverlay(t, plainUrl, 'TEST', { port });
    const refused = await connectionTest(t, plainUrl, 'TEST');
    expect(failedStep(refused)).toMatchObject({
      step: 'connect',
      message: `connection refused on 127.0.0.1:${port}`,
    });

    await putOverlay(t, plainUrl, 'PROD', { remoteFolder: '/nope' });
    const missing = await connectionTest(t, plainUrl, 'PROD');
    expect(failedStep(missing)).toMatchObject({
      step: 'list',
      message: 'folder /nope does not exist or is not accessible',
    });
  });

  it('keeps the last result per adapter and environment', async () => {
    const results = [
      await connectionTest(t, ftpsUrl, 'DEV'),
      await connectionTest(t, ftpsUrl, 'TEST'),
      await connectionTest(t, plainUrl, 'DEV'),
      await connectionTest(t, plainUrl, 'PROD'),
    ];
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false]);
    await expectKept(t, ftpsUrl, results.slice(0, 2));
    await expectKept(t, plainUrl, results.slice(2));
  });
});
