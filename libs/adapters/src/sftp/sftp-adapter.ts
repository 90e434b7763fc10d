/**
 * SFTP (ssh2): connection test and a folder session. Writes stream to `<name>.part` and rename
 * it, so a partner polling the folder never sees half a file.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { Client, FileEntryWithStats, SFTPWrapper } from 'ssh2';

import type { SftpAdapterConfig, SftpAdapterSecrets } from '@integrixs/domain';

import {
  stepBudget,
  type ConnectionTestOptions,
  type FileTransferSession,
  type RemoteFile,
} from '../shared/adapter';
import { explainError, required } from '../shared/explain-error';
import { assertPlainName, globToRegExp, probeName, tempName } from '../shared/files';
import { resolveAndConnect } from '../shared/network';
import { withRetries } from '../shared/retry';
import { StepRunner, type ConnectionTestResult } from '../shared/steps';
import { resolveTarget } from '../shared/target-policy';
import { withTimeout } from '../shared/timeouts';
import { connectSsh, explainSftpError, openSftp, type SshHandshake } from './ssh-connect';

const call = <T>(fn: (cb: (err: Error | undefined | null, value: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

/** resolve → connect → host-key → authenticate → list → permissions (probe written, removed). */
export async function testSftpAdapter(
  config: SftpAdapterConfig,
  secrets: SftpAdapterSecrets,
  options?: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const budget = stepBudget(options, config.connectTimeoutMs);
  const runner = new StepRunner(budget, options?.onStep);
  const port = config.port ?? 22;
  const target = await resolveAndConnect(runner, config.host, port, options);
  let client: Client | undefined;
  if (target) {
    const handshake: SshHandshake = {};
    const started = performance.now();
    const connecting = connectSsh(target.address, config, secrets, budget, handshake);
    try {
      client = await withTimeout(connecting, budget, 'SSH handshake');
      const ms = performance.now() - started;
      runner.record('host-key', 'passed', ms, `host key matches ${config.hostKeyFingerprint}`);
      runner.record('authenticate', 'passed', ms, `authenticated as ${config.username}`);
    } catch (error) {
      // A handshake that completes after the timeout must not leave a connection behind.
      connecting.then((late) => late.end()).catch(() => undefined);
      const ms = performance.now() - started;
      const message = explainError(error);
      if (!handshake.seenFingerprint || message.startsWith('host key')) {
        runner.fail('host-key', ms, message);
        runner.skip('authenticate', 'skipped: an earlier step failed');
      } else {
        runner.record('host-key', 'passed', ms, `host key matches ${config.hostKeyFingerprint}`);
        runner.fail('authenticate', ms, message);
      }
    }
  } else {
    runner.skip('host-key', 'skipped: an earlier step failed');
    runner.skip('authenticate', 'skipped: an earlier step failed');
  }
  try {
    const sftp = client ? await openSftp(client) : undefined;
    const folder = config.remoteFolder;
    await runner.run(
      'list',
      () =>
        call<FileEntryWithStats[]>((cb) => required(sftp, 'sftp').readdir(folder, cb)).catch(
          (e) => {
            throw explainSftpError(e, folder, 'folder');
          },
        ),
      (entries) => `folder ${folder} is readable (${entries.length} entries)`,
    );
    await runner.run(
      'permissions',
      async () => {
        const probe = posix.join(folder, probeName());
        await call<void>((cb) =>
          required(sftp, 'sftp').writeFile(probe, 'integrixs connection test\n', cb),
        ).catch((e) => {
          throw explainSftpError(e, folder, 'folder');
        });
        await call<void>((cb) => required(sftp, 'sftp').unlink(probe, cb));
      },
      () => `folder ${folder} is writable (probe file written and removed)`,
    );
  } finally {
    client?.end();
  }
  return runner.result();
}

export class SftpFolderSession implements FileTransferSession {
  private readonly pattern: RegExp;

  constructor(
    private readonly client: Client,
    private readonly sftp: SFTPWrapper,
    private readonly config: SftpAdapterConfig,
  ) {
    this.pattern = globToRegExp(config.filePattern ?? '*');
  }

  private path(name: string): string {
    assertPlainName(name);
    return posix.join(this.config.remoteFolder, name);
  }

  async list(): Promise<RemoteFile[]> {
    const entries = await call<FileEntryWithStats[]>((cb) =>
      this.sftp.readdir(this.config.remoteFolder, cb),
    );
    return entries
      .filter(
        (e) => e.attrs.isFile() && this.pattern.test(e.filename) && !e.filename.endsWith('.part'),
      )
      .map((e) => ({
        name: e.filename,
        size: e.attrs.size,
        modifiedAt: new Date(e.attrs.mtime * 1000),
      }))
      .sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime());
  }

  async read(name: string): Promise<Readable> {
    const path = this.path(name);
    await call((cb) => this.sftp.stat(path, cb)).catch((e) => {
      throw explainSftpError(e, path, 'file');
    });
    return this.sftp.createReadStream(path);
  }

  async write(name: string, content: Readable): Promise<void> {
    const target = this.path(name);
    const temp = this.path(tempName(name));
    try {
      await pipeline(content, this.sftp.createWriteStream(temp));
      // SFTP v3 RENAME fails when the target exists: replace it explicitly.
      await call<void>((cb) => this.sftp.unlink(target, cb)).catch(() => undefined);
      await call<void>((cb) => this.sftp.rename(temp, target, cb));
    } catch (error) {
      await call<void>((cb) => this.sftp.unlink(temp, cb)).catch(() => undefined);
      throw error;
    }
  }

  async afterRead(name: string, archiveName = name): Promise<void> {
    const source = this.path(name);
    assertPlainName(archiveName);
    const after = this.config.afterRead ?? { action: 'keep' };
    if (after.action === 'delete') await call<void>((cb) => this.sftp.unlink(source, cb));
    if (after.action === 'move' || after.action === 'archive')
      await call<void>((cb) =>
        this.sftp.rename(
          source,
          posix.join(required(after.targetFolder, 'targetFolder'), archiveName),
          cb,
        ),
      );
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.path(from);
    const target = this.path(to);
    await call<void>((cb) => this.sftp.rename(source, target, cb));
  }

  close(): Promise<void> {
    this.client.end();
    return Promise.resolve();
  }
}

/** Connects (policy-checked, host key pinned) and opens the SFTP subsystem. */
export async function openSftpFolder(
  config: SftpAdapterConfig,
  secrets: SftpAdapterSecrets,
  options?: ConnectionTestOptions,
): Promise<FileTransferSession> {
  const target = await resolveTarget(config.host, options?.policy);
  const timeout = config.connectTimeoutMs ?? 10000;
  const client = await withRetries(
    () =>
      withTimeout(connectSsh(target.address, config, secrets, timeout), timeout, 'SSH handshake'),
    config.retries,
  );
  try {
    return new SftpFolderSession(client, await openSftp(client), config);
  } catch (error) {
    client.end();
    throw error;
  }
}
