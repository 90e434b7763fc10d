import { statSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { tempDir } from '../testing/temp-dir';
import { openFileFolder } from './file-adapter';
import { moveFile, type RenameFn } from './move-file';

/** A rename that fails like one across filesystems (where this machine has only one). */
const exdev: RenameFn = () =>
  Promise.reject(
    Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' }),
  );

/** /dev/shm when it is a filesystem other than the temp folder's (a tmpfs on most Linux hosts). */
function otherFilesystem(): string | undefined {
  const shm = statSync('/dev/shm', { throwIfNoEntry: false });
  return shm?.isDirectory() && shm.dev !== statSync(tmpdir()).dev ? '/dev/shm' : undefined;
}

describe('moving files across filesystems (EXDEV)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('move');
    await mkdir(join(dir.path, 'in'));
    await mkdir(join(dir.path, 'archive'));
  });
  afterEach(() => dir.remove());

  it('copies, keeps the modification time and removes the source when rename fails with EXDEV', async () => {
    const source = join(dir.path, 'in', 'order.xml');
    const body = '<order>' + 'x'.repeat(3 * 1024 * 1024) + '</order>';
    await writeFile(source, body);
    const modified = new Date('2026-01-02T03:04:05Z');
    await utimes(source, modified, modified);
    const target = join(dir.path, 'archive', 'order.xml');
    await moveFile(source, target, exdev);
    expect(await readFile(target, 'utf8')).toBe(body);
    expect((await stat(target)).mtime.toISOString()).toBe(modified.toISOString());
    expect(await readdir(join(dir.path, 'in'))).toEqual([]);
    expect(await readdir(join(dir.path, 'archive'))).toEqual(['order.xml']);
  });

  it('keeps the source and leaves no .part file when the copy cannot be put in place', async () => {
    const source = join(dir.path, 'in', 'a.xml');
    await writeFile(source, '<a/>');
    // The target name is taken by a non-empty folder: the final rename fails.
    await mkdir(join(dir.path, 'archive', 'a.xml', 'inside'), { recursive: true });
    await expect(moveFile(source, join(dir.path, 'archive', 'a.xml'), exdev)).rejects.toThrow();
    expect(await readFile(source, 'utf8')).toBe('<a/>');
    expect(await readdir(join(dir.path, 'archive'))).toEqual(['a.xml']);
  });

  it('does not copy when rename fails for another reason', async () => {
    const notFound = moveFile(join(dir.path, 'in', 'missing.xml'), join(dir.path, 'archive', 'x'));
    await expect(notFound).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(join(dir.path, 'archive'))).toEqual([]);
  });

  it('archives after read to a folder on another filesystem (tmpfs, or a forced EXDEV)', async () => {
    const other = otherFilesystem();
    const archiveRoot = other ? await mkdtemp(join(other, 'integrixs-archive-')) : dir.path;
    const archive = join(archiveRoot, 'done');
    const failures: string[] = [];
    // The real rename where the folders really are on two filesystems; a forced EXDEV otherwise.
    const renameFile: RenameFn = other
      ? (from, to) =>
          rename(from, to).catch((error: NodeJS.ErrnoException) => {
            failures.push(String(error.code));
            throw error;
          })
      : (from, to) => {
          failures.push('EXDEV');
          return exdev(from, to);
        };
    try {
      await writeFile(join(dir.path, 'in', 'b.xml'), '<b/>');
      const session = openFileFolder(
        { folder: join(dir.path, 'in'), afterRead: { action: 'archive', targetFolder: archive } },
        renameFile,
      );
      await session.afterRead('b.xml');
      expect(failures).toEqual(['EXDEV']);
      expect(await readFile(join(archive, 'b.xml'), 'utf8')).toBe('<b/>');
      expect(await readdir(join(dir.path, 'in'))).toEqual([]);
    } finally {
      if (other) await rm(archiveRoot, { recursive: true, force: true });
    }
  });
});
