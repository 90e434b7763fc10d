/**
 * FTP and FTPS (basic-ftp): connection test and a folder session. basic-ftp speaks passive mode
 * only, which is what works through firewalls and NAT; active mode is refused up front.
 */
import { isIP } from 'node:net';
import { posix } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { rootCertificates, type ConnectionOptions } from 'node:tls';

import { Client, FTPError } from 'basic-ftp';

import type { FtpAdapterConfig, FtpAdapterSecrets } from '@integrixs/domain';

import {
  stepBudget,
  type ConnectionTestOptions,
  type FileTransferSession,
  type RemoteFile,
} from '../shared/adapter';
import { asError, required, StepFailure } from '../shared/explain-error';
import { assertPlainName, globToRegExp, probeName, tempName } from '../shared/files';
import { resolveAndConnect } from '../shared/network';
import { withRetries } from '../shared/retry';
import { StepRunner, type ConnectionTestResult } from '../shared/steps';
import { resolveTarget } from '../shared/target-policy';

function tlsOptions(config: FtpAdapterConfig): ConnectionOptions {
  return {
    servername: isIP(config.host) ? undefined : config.host,
    // A configured CA bundle adds to the system roots instead of replacing them.
    ca: config.caCertificate ? [...rootCertificates, config.caCertificate] : undefined,
    rejectUnauthorized: config.rejectUnauthorized ?? true,
  };
}

/** FTP replies as plain words: 530 is a refused login, 550 a missing file or folder. */
function explainFtp(error: unknown, config: FtpAdapterConfig, path?: string): Error {
  if (error instanceof FTPError && error.code === 530)
    return new StepFailure(`authentication failed for user ${config.username}`);
  if (error instanceof FTPError && error.code === 550 && path)
    return new StepFailure(`folder ${path} does not exist or is not accessible`);
  return asError(error);
}

async function connectTo(client: Client, address: string, config: FtpAdapterConfig) {
  const port = config.port ?? 21;
  if (config.tls === 'implicit') await client.connectImplicitTLS(address, port, tlsOptions(config));
  else await client.connect(address, port);
}

/** resolve → connect → tls → authenticate → list → permissions (probe uploaded, removed). */
export async function testFtpAdapter(
  config: FtpAdapterConfig,
  secrets: FtpAdapterSecrets,
  options?: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const budget = stepBudget(options, config.connectTimeoutMs);
  const runner = new StepRunner(budget, options?.onStep);
  if (config.passive === false) {
    runner.fail('connect', 0, 'active mode FTP is not supported; use passive mode');
    return runner.result();
  }
  const target = await resolveAndConnect(runner, config.host, config.port ?? 21, options);
  const client = new Client(stepBudget(options, config.operationTimeoutMs));
  const tls = config.tls ?? 'explicit';
  try {
    const address = () => required(target, 'target').address;
    if (tls === 'none') runner.skip('tls', 'plain FTP: no TLS');
    else
      await runner.run(
        'tls',
        async () => {
          await connectTo(client, address(), config);
          if (tls === 'explicit') await client.useTLS(tlsOptions(config));
        },
        () =>
          `${tls === 'explicit' ? 'AUTH TLS' : 'implicit TLS'} established, certificate trusted`,
      );
    await runner.run(
      'authenticate',
      async () => {
        if (tls === 'none') await connectTo(client, address(), config);
        await client.login(config.username, secrets.password ?? '').catch((e) => {
          throw explainFtp(e, config);
        });
        await client.useDefaultSettings();
      },
      () => `authenticated as ${config.username}`,
    );
    const folder = config.remoteFolder;
    await runner.run(
      'list',
      async () => {
        // CWD first: servers answer a LIST of a missing folder with assorted codes, CWD with 550.
        await client.cd(folder).catch((e) => Promise.reject(explainFtp(e, config, folder)));
        return client.list();
      },
      (entries) => `folder ${folder} is readable (${entries.length} entries)`,
    );
    await runner.run(
      'permissions',
      async () => {
        const probe = posix.join(folder, probeName());
        await client
          .uploadFrom(Readable.from(['integrixs connection test\n']), probe)
          .catch((e) => {
            throw e instanceof FTPError
              ? new StepFailure(`folder ${folder} is not writable (${e.message})`)
              : e;
          });
        await client.remove(probe);
      },
      () => `folder ${folder} is writable (probe file written and removed)`,
    );
  } finally {
    client.close();
  }
  return runner.result();
}

export class FtpFolderSession implements FileTransferSession {
  private readonly pattern: RegExp;

  constructor(
    private readonly client: Client,
    private readonly config: FtpAdapterConfig,
  ) {
    this.pattern = globToRegExp(config.filePattern ?? '*');
  }

  private path(name: string): string {
    assertPlainName(name);
    return posix.join(this.config.remoteFolder, name);
  }

  async list(): Promise<RemoteFile[]> {
    const entries = await this.client.list(this.config.remoteFolder);
    return entries
      .filter((e) => e.isFile && this.pattern.test(e.name) && !e.name.endsWith('.part'))
      .map((e) => ({ name: e.name, size: e.size, modifiedAt: e.modifiedAt }))
      .sort((a, b) => (a.modifiedAt?.getTime() ?? 0) - (b.modifiedAt?.getTime() ?? 0));
  }

  /**
   * basic-ftp downloads into a writable; a PassThrough turns that into the Readable callers
   * consume at their own pace (backpressure reaches the data connection).
   */
  async read(name: string): Promise<Readable> {
    const path = this.path(name);
    await this.client.size(path).catch((e) => {
      throw e instanceof FTPError && e.code === 550
        ? new StepFailure(`file ${path} does not exist`)
        : e;
    });
    const out = new PassThrough();
    this.client.downloadTo(out, path).catch((e: Error) => out.destroy(e));
    return out;
  }

  async write(name: string, content: Readable): Promise<void> {
    const temp = this.path(tempName(name));
    try {
      await this.client.uploadFrom(content, temp);
      await this.client.rename(temp, this.path(name));
    } catch (error) {
      await this.client.remove(temp, true).catch(() => undefined);
      throw error;
    }
  }

  async afterRead(name: string, archiveName = name): Promise<void> {
    assertPlainName(archiveName);
    const after = this.config.afterRead ?? { action: 'keep' };
    if (after.action === 'delete') await this.client.remove(this.path(name));
    if (after.action === 'move' || after.action === 'archive')
      await this.client.rename(
        this.path(name),
        posix.join(required(after.targetFolder, 'targetFolder'), archiveName),
      );
  }

  async rename(from: string, to: string): Promise<void> {
    await this.client.rename(this.path(from), this.path(to));
  }

  close(): Promise<void> {
    this.client.close();
    return Promise.resolve();
  }
}

export async function openFtpFolder(
  config: FtpAdapterConfig,
  secrets: FtpAdapterSecrets,
  options?: ConnectionTestOptions,
): Promise<FileTransferSession> {
  if (config.passive === false) throw new Error('active mode FTP is not supported');
  const target = await resolveTarget(config.host, options?.policy);
  return withRetries(async () => {
    const client = new Client(config.operationTimeoutMs ?? 60000);
    try {
      await connectTo(client, target.address, config);
      if ((config.tls ?? 'explicit') === 'explicit') await client.useTLS(tlsOptions(config));
      await client.login(config.username, secrets.password ?? '').catch((e) => {
        throw explainFtp(e, config);
      });
      await client.useDefaultSettings();
      return new FtpFolderSession(client, config);
    } catch (error) {
      client.close();
      throw error;
    }
  }, config.retries);
}
