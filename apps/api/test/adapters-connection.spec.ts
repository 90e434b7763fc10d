import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import pino from 'pino';

import { startSftpServer, tempDir, type TestSftpServer } from '@integrixs/adapters/testing';

import { createPackage } from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface TestResult {
  ok: boolean;
  steps: { step: string; status: string; message: string }[];
}

const PASSWORD = 'adapters-connection-sftp-Pw-4e1d';
const ROTATED = 'adapters-connection-rotated-Pw-8c3a';

/** Every log line the app writes, at the most verbose level, to scan for secrets. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, sink), lines };
}

describe('adapter connection tests against a real SFTP server', () => {
  const log = capturedLogger();
  let t: TestApp;
  let pkg: string;
  let integrator: TestUser;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: TestSftpServer;
  let adapterUrl: string;

  beforeAll(async () => {
    dir = await tempDir('api-sftp');
    await mkdir(join(dir.path, 'outbound'));
    server = await startSftpServer({ root: dir.path, username: 'erp', password: PASSWORD });
    t = await startTestApp({ logger: log.logger });
    pkg = await createPackage(t, 'SFTP adapters');
    integrator = await t.createUser({
      role: 'INTEGRATOR',
      mfa: true,
      packages: { [pkg]: 'INTEGRATOR' },
    });
    const created = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/adapters`,
      payload: {
        name: 'ERP SFTP',
        adapterType: 'SFTP',
        direction: 'SOURCE',
        configuration: {
          host: '127.0.0.1',
          port: server.port,
          username: 'erp',
          password: PASSWORD,
          hostKeyFingerprint: server.fingerprint,
          remoteFolder: '/outbound',
        },
      },
    });
    expect(created.statusCode).toBe(201);
    adapterUrl = `/api/packages/${pkg}/adapters/${json<{ id: string }>(created).id}`;
  });
  afterAll(async () => {
    await t.close();
    await server.close();
    await dir.remove();
  });

  const runTest = async (environment: string) => {
    const response = await t.request({
      method: 'POST',
      url: `${adapterUrl}/test?environment=${environment}`,
      as: integrator,
    });
    expect(response.statusCode).toBe(200);
    return json<TestResult>(response);
  };
  const steps = (r: TestResult) => r.steps.map((s) => `${s.step}:${s.status}`);

  it('connects with the sealed base password: every step passes, in order', async () => {
    const result = await runTest('DEV');
    expect(steps(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      'host-key:passed',
      'authenticate:passed',
      'list:passed',
      'permissions:passed',
    ]);
    expect(result.ok).toBe(true);
  });

  it('fails at authenticate with a wrong password set for TEST, and names the user', async () => {
    const set = await t.request({
      method: 'POST',
      url: `${adapterUrl}/credentials`,
      payload: { environment: 'TEST', secrets: { '/password': ROTATED } },
      as: integrator,
    });
    expect(set.statusCode).toBe(200);
    const result = await runTest('TEST');
    expect(result.ok).toBe(false);
    const failed = result.steps.find((s) => s.status === 'failed');
    expect(failed).toMatchObject({ step: 'authenticate' });
    expect(failed?.message).toContain('erp');
    // DEV still uses the base password.
    expect((await runTest('DEV')).ok).toBe(true);
  });

  it('fails at host-key when an overlay pins another fingerprint', async () => {
    await t.request({
      method: 'PUT',
      url: `${adapterUrl}/environments/PROD`,
      payload: { values: { hostKeyFingerprint: 'SHA256:' + 'B'.repeat(43) } },
      as: integrator,
    });
    const result = await runTest('PROD');
    expect(result.steps.find((s) => s.status === 'failed')).toMatchObject({ step: 'host-key' });
    expect(result.steps.find((s) => s.status === 'failed')?.message).toMatch(/fingerprint/);
  });

  it('is refused at resolve when the outbound policy denies the target', async () => {
    const denying = await startTestApp({ config: { outboundDeny: ['127.0.0.0/8'] } });
    try {
      const p = await createPackage(denying, 'Denied');
      const created = await denying.request({
        method: 'POST',
        url: `/api/packages/${p}/adapters`,
        payload: {
          name: 'Loopback',
          adapterType: 'SFTP',
          direction: 'TARGET',
          configuration: {
            host: '127.0.0.1',
            port: server.port,
            username: 'erp',
            password: PASSWORD,
            hostKeyFingerprint: server.fingerprint,
            remoteFolder: '/outbound',
          },
        },
      });
      const id = json<{ id: string }>(created).id;
      const response = await denying.request({
        method: 'POST',
        url: `/api/packages/${p}/adapters/${id}/test?environment=DEV`,
      });
      const result = json<TestResult>(response);
      expect(result.ok).toBe(false);
      expect(result.steps[0]).toMatchObject({ step: 'resolve', status: 'failed' });
      expect(result.steps[0].message).toContain('deny list');
    } finally {
      await denying.close();
    }
  });

  it('never writes a secret to the log, at trace level', () => {
    expect(log.lines.length).toBeGreaterThan(10);
    const leaked = log.lines.filter((l) => l.includes(PASSWORD) || l.includes(ROTATED));
    expect(leaked).toEqual([]);
  });
});
