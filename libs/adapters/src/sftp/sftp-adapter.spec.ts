import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { SftpAdapterConfig } from '@integrixs/domain';

import type { ConnectionTestResult } from '../shared/steps';
import { refusedPort } from '../testing/ports';
import { startSftpServer, type TestSftpServer } from '../testing/sftp-server';
import { digest, generatedStream } from '../testing/streams';
import { tempDir } from '../testing/temp-dir';
import { openSftpFolder, testSftpAdapter } from './sftp-adapter';

describe('SFTP adapter against a real SSH server', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: TestSftpServer;
  let config: SftpAdapterConfig;
  const secrets = { password: 'sftp-secret-1' };

  beforeAll(async () => {
    dir = await tempDir('sftp');
    await mkdir(join(dir.path, 'upload'));
    server = await startSftpServer({
      root: dir.path,
      username: 'flow',
      password: secrets.password,
    });
    config = {
      host: '127.0.0.1',
      port: server.port,
      username: 'flow',
      hostKeyFingerprint: server.fingerprint,
      remoteFolder: '/upload',
      filePattern: '*.csv',
    };
  });
  afterAll(async () => {
    await server.close();
    await dir.remove();
  });

  const steps = (r: ConnectionTestResult) => r.steps.map((s) => `${s.step}:${s.status}`);
  const step = (r: ConnectionTestResult, name: string) => r.steps.find((s) => s.step === name);

  it('passes every step with the pinned host key and leaves no probe file', async () => {
    const result = await testSftpAdapter(config, secrets);
    expect(steps(result)).toEqual([
      'resolve:passed',
      'connect:passed',
      'host-key:passed',
      'authenticate:passed',
      'list:passed',
      'permissions:passed',
    ]);
    expect(result.ok).toBe(true);
    expect(await readdir(join(dir.path, 'upload'))).toEqual([]);
  });

  it('fails at host-key when the server presents a different key than the pinned one', async () => {
    const pinned = 'SHA256:' + 'x'.repeat(43);
    const result = await testSftpAdapter({ ...config, hostKeyFingerprint: pinned }, secrets);
    expect(result.steps.find((s) => s.step === 'host-key')).toMatchObject({
      status: 'failed',
      message: `host key fingerprint mismatch (expected ${pinned}, got ${server.fingerprint})`,
    });
    expect(result.steps.find((s) => s.step === 'authenticate')?.status).toBe('skipped');
  });

  it('fails at authenticate with a wrong password, naming the user', async () => {
    const result = await testSftpAdapter(config, { password: 'wrong-secret-value' });
    // The attempted password appears in no step message.
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value');
    expect(result.steps.find((s) => s.step === 'authenticate')).toMatchObject({
      status: 'failed',
      message: 'authentication failed for user flow',
    });
  });

  it('fails at connect when nothing listens on the port', async () => {
    const port = await refusedPort();
    const result = await testSftpAdapter({ ...config, port }, secrets);
    expect(result.steps[1]).toMatchObject({
      step: 'connect',
      status: 'failed',
      message: `connection refused on 127.0.0.1:${port}`,
    });
  });

  it('fails with a timeout when the server accepts the connection but never answers', async () => {
    const silent = createServer(() => undefined); // accepts, never sends an SSH banner
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const result = await testSftpAdapter({ ...config, port }, secrets, { stepTimeoutMs: 300 });
      expect(step(result, 'host-key')).toMatchObject({ status: 'failed' });
      expect(step(result, 'host-key')?.message).toMatch(/timed out/i);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });

  it('fails at list when the remote folder does not exist', async () => {
    const result = await testSftpAdapter({ ...config, remoteFolder: '/nope' }, secrets);
    expect(result.steps.find((s) => s.step === 'list')).toMatchObject({
      status: 'failed',
      message: 'folder /nope does not exist',
    });
  });

  it('fails at resolve when the target policy denies loopback', async () => {
    const result = await testSftpAdapter(config, secrets, { policy: { allowLoopback: false } });
    expect(result.steps[0]).toMatchObject({
      step: 'resolve',
      status: 'failed',
      message: '127.0.0.1 is a loopback address and is not allowed',
    });
  });

  it('streams a large file up through a temp name, lists, reads and archives it', async () => {
    await mkdir(join(dir.path, 'done'));
    const session = await openSftpFolder(
      { ...config, afterRead: { action: 'archive', targetFolder: '/done' } },
      secrets,
    );
    try {
      const size = 8 * 1024 * 1024 + 17;
      await session.write('orders.csv', generatedStream(size));
      await session.write('orders.csv', generatedStream(size)); // replaces an existing file
      await writeFile(join(dir.path, 'upload', 'notes.txt'), 'ignored by the pattern');
      expect((await session.list()).map((f) => [f.name, f.size])).toEqual([['orders.csv', size]]);
      expect(await digest(await session.read('orders.csv'))).toEqual(
        await digest(generatedStream(size)),
      );
      await session.afterRead('orders.csv');
      expect((await readFile(join(dir.path, 'done', 'orders.csv'))).length).toBe(size);
      expect(await readdir(join(dir.path, 'upload'))).toEqual(['notes.txt']);
      await expect(session.read('missing.csv')).rejects.toThrow(
        'file /upload/missing.csv does not exist',
      );
    } finally {
      await session.close();
    }
  });

  it('claims a file by rename (only once) and archives it under its original name', async () => {
    await mkdir(join(dir.path, 'done'), { recursive: true });
    await writeFile(join(dir.path, 'upload', 'claim.csv'), 'a,b\n');
    const session = await openSftpFolder(
      { ...config, afterRead: { action: 'move', targetFolder: '/done' } },
      secrets,
    );
    try {
      await session.rename('claim.csv', 'claim.csv.w1.claimed');
      await expect(session.rename('claim.csv', 'claim.csv.w2.claimed')).rejects.toThrow();
      await session.afterRead('claim.csv.w1.claimed', 'claim.csv');
      expect(await readFile(join(dir.path, 'done', 'claim.csv'), 'utf8')).toBe('a,b\n');
      expect(await readdir(join(dir.path, 'upload'))).not.toContain('claim.csv.w1.claimed');
    } finally {
      await session.close();
    }
  });
});
