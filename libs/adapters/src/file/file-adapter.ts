/**
 * FILE: a folder on the machine running the runtime. Writes go to `<name>.part` and are renamed
 * when complete, so a reader polling the folder never picks up half a file.
 */
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { FileAdapterConfig, FileAdapterSecrets } from '@integrixs/domain';

import type { ConnectionTestOptions, FileTransferSession, RemoteFile } from '../shared/adapter';
import { required, StepFailure } from '../shared/explain-error';
import { assertPlainName, globToRegExp, probeName, tempName } from '../shared/files';
import { StepRunner, type ConnectionTestResult } from '../shared/steps';
import { moveFile, type RenameFn } from './move-file';

/** folder exists → readable → writable (a probe file written and removed again). */
export async function testFileAdapter(
  config: FileAdapterConfig,
  _secrets: FileAdapterSecrets = {},
  options?: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const runner = new StepRunner(options?.stepTimeoutMs ?? 10000, options?.onStep);
  const folder = config.folder;
  await runner.run(
    'folder',
    async () => {
      const info = await stat(folder).catch(() => undefined);
      if (!info) throw new StepFailure(`folder ${folder} does not exist`);
      if (!info.isDirectory()) throw new StepFailure(`${folder} is not a folder`);
    },
    () => `folder ${folder} exists`,
  );
  await runner.run(
    'list',
    async () => {
      await access(folder, constants.R_OK | constants.X_OK).catch(() => {
        throw new StepFailure(`folder ${folder} is not readable`);
      });
      return (await readdir(folder)).length;
    },
    (n) => `folder ${folder} is readable (${n} entries)`,
  );
  await runner.run(
    'permissions',
    async () => {
      const probe = join(folder, probeName());
      await writeFile(probe, 'integrixs connection test\n', { flag: 'wx' }).catch(() => {
        throw new StepFailure(`folder ${folder} is not writable`);
      });
      await rm(probe);
    },
    () => `folder ${folder} is writable (probe file written and removed)`,
  );
  return runner.result();
}

export class FileFolderSession implements FileTransferSession {
  private readonly pattern: RegExp;

  /** `renameFile`: the rename archive / move use (tests force EXDEV through it). */
  constructor(
    private readonly config: FileAdapterConfig,
    private readonly renameFile: RenameFn = rename,
  ) {
    this.pattern = globToRegExp(config.filePattern ?? '*');
  }

  async list(): Promise<RemoteFile[]> {
    const entries = await readdir(this.config.folder, { withFileTypes: true });
    const files: RemoteFile[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || !this.pattern.test(entry.name) || entry.name.endsWith('.part'))
        continue;
      const info = await stat(join(this.config.folder, entry.name));
      files.push({ name: entry.name, size: info.size, modifiedAt: info.mtime });
    }
    return files.sort((a, b) => (a.modifiedAt?.getTime() ?? 0) - (b.modifiedAt?.getTime() ?? 0));
  }

  async read(name: string): Promise<Readable> {
    assertPlainName(name);
    const stream = createReadStream(join(this.config.folder, name));
    // Surface "no such file" here rather than on the first read of the consumer.
    return await new Promise((resolve, reject) => {
      stream.once('open', () => resolve(stream));
      stream.once('error', reject);
    });
  }

  /** As FileTransferSession's write; a Buffer (a payload already in memory) goes without a stream. */
  async write(name: string, content: Readable | Buffer): Promise<void> {
    assertPlainName(name);
    const put = (path: string) =>
      Buffer.isBuffer(content)
        ? writeFile(path, content)
        : pipeline(content, createWriteStream(path));
    const target = join(this.config.folder, name);
    if (this.config.writeMode === 'direct') return put(target);
    const temp = join(this.config.folder, tempName(name));
    try {
      await put(temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async afterRead(name: string, archiveName = name): Promise<void> {
    assertPlainName(name);
    assertPlainName(archiveName);
    const source = join(this.config.folder, name);
    const after = this.config.afterRead ?? { action: 'keep' };
    if (after.action === 'delete') await rm(source);
    if (after.action === 'move' || after.action === 'archive') {
      const folder = required(after.targetFolder, 'targetFolder');
      await mkdir(folder, { recursive: true });
      // Archive folders are often on another filesystem: moveFile copies when rename cannot.
      await moveFile(source, join(folder, archiveName), this.renameFile);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    assertPlainName(from);
    assertPlainName(to);
    await rename(join(this.config.folder, from), join(this.config.folder, to));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export function openFileFolder(
  config: FileAdapterConfig,
  renameFile?: RenameFn,
): FileFolderSession {
  return new FileFolderSession(config, renameFile);
}
