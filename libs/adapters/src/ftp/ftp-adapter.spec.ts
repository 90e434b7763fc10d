import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { FtpAdapterConfig } from '@integrixs/domain';

import type { ConnectionTestResult } from '../shared/steps';
import { makeCertificates, type TestCertificates } from '../testing/certs';
import { startFtpServer, type TestFtpServer } from '../testing/ftp-server';
import { refusedPort } from '../testing/ports';
import { digest, generatedStream } from '../testing/streams';
import { tempDir } from '../testing/temp-dir';
import { openFtpFolder, testFtpAdapter } from './ftp-adapter';

const secrets = { password: 'ftp-secret-1' };
const summary = (r: ConnectionTestResult) => r.steps.map((s) => `${s.step}:${s.status}`);
const step = (r: ConnectionTestResult, name: string) => r.steps.find((s) => s.step === name);

describe('FTP adapter against real FTP and FTPS servers', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let certs: TestCertificates;
  let plain: TestFtpServer;
  let explicit: TestFtpServer;
  let implicit: TestFtpServer;
  const base = (server: TestFtpServer, tls: FtpAdapterConfig['tls']): FtpAdapterConfig => ({
    host: '127.0.0.1',
    port: server.port,
    username: 'flow',
    tls,
    caCertificate: certs.ca,
    remoteFolder: '/inbox',
    filePattern: '*.xml',
  });

  beforeAll(async () => {
    dir = await tempDir('ftp');
    await mkdir(join(dir.path, 'inbox'));
    await mkdir(join(dir.path, 'archive'));
    certs = makeCertificates();
    const user = { root: dir.path, username: 'flow', password: secrets.password, certs };
    plain = await startFtpServer({ ...user, tls: 'none' });
    explicit = await startFtpServer({ ...user, tls: 'explicit' });
    implicit = await startFtpServer({ ...user, tls: 'implicit' });
  });
  afterAll(async () => {
    await Promise.all([plain.close(), explicit.close(), implicit.close()]);
    await dir.remove();
  });

  it.each<['none' | 'explicit' | 'implicit', () => TestFtpServer]>([
    ['none', () => plain],
    ['explicit', () => explicit],
    ['implicit', () => implicit],
  ])('passes every step over tls=%s and removes the probe', async (tls, server) => {
    const result = await testFtpAdapter(base(server(), tls), secrets);
    expect(summary(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      tls === 'none' ? 'tls:skipped' : 'tls:passed',
      'authenticate:passed',
      'list:passed',
      'permissions:passed',
    ]);
    expect(await readdir(join(dir.path, 'inbox'))).toEqual([]);
  });

  it('fails at authenticate with a wrong password, naming the user', async () => {
    const result = await testFtpAdapter(base(explicit, 'explicit'), {
      password: 'wrong-secret-value',
    });
    // The attempted password appears in no step message.
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value');
    expect(step(result, 'authenticate')).toMatchObject({
      status: 'failed',
      message: 'authentication failed for user flow',
    });
  });

  it('fails at tls when the server certificate is not trusted', async () => {
    const result = await testFtpAdapter(
      { ...base(explicit, 'explicit'), caCertificate: certs.otherCa },
      secrets,
    );
    expect(step(result, 'tls')?.status).toBe('failed');
    expect(step(result, 'tls')?.message).toMatch(/^TLS certificate not trusted \(/);
  });

  it('fails at connect when nothing listens on the port', async () => {
    const port = await refusedPort();
    const result = await testFtpAdapter({ ...base(plain, 'none'), port }, secrets);
    expect(step(result, 'connect')?.message).toBe(`connection refused on 127.0.0.1:${port}`);
  });

  it('fails at list when the remote folder does not exist', async () => {
    const result = await testFtpAdapter({ ...base(plain, 'none'), remoteFolder: '/nope' }, secrets);
    expect(step(result, 'list')).toMatchObject({
      status: 'failed',
      message: 'folder /nope does not exist or is not accessible',
    });
  });

  it('streams a large file over explicit FTPS, lists, reads and archives it', async () => {
    const session = await openFtpFolder(
      { ...base(explicit, 'explicit'), afterRead: { action: 'archive', targetFolder: '/archive' } },
      secrets,
    );
    try {
      const size = 12 * 1024 * 1024 + 3;
      await session.write('order.xml', generatedStream(size));
      expect((await session.list()).map((f) => [f.name, f.size])).toEqual([['order.xml', size]]);
      expect(await digest(await session.read('order.xml'))).toEqual(
        await digest(generatedStream(size)),
      );
      await session.afterRead('order.xml');
      expect((await readFile(join(dir.path, 'archive', 'order.xml'))).length).toBe(size);
      await expect(session.read('missing.xml')).rejects.toThrow(
        'file /inbox/missing.xml does not exist',
      );
    } finally {
      await session.close();
    }
  });

  it('claims a file by rename (only once) and archives it under its original name', async () => {
    const session = await openFtpFolder(
      { ...base(explicit, 'explicit'), afterRead: { action: 'move', targetFolder: '/archive' } },
      secrets,
    );
    try {
      await session.write('claim.xml', generatedStream(100));
      await session.rename('claim.xml', 'claim.xml.w1.claimed');
      await expect(session.rename('claim.xml', 'claim.xml.w2.claimed')).rejects.toThrow();
      await session.afterRead('claim.xml.w1.claimed', 'claim.xml');
      expect((await readFile(join(dir.path, 'archive', 'claim.xml'))).length).toBe(100);
      expect(await readdir(join(dir.path, 'inbox'))).not.toContain('claim.xml.w1.claimed');
    } finally {
      await session.close();
    }
  });
});
