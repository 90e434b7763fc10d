/**
 * Moving a file on the local machine (the FILE adapter's archive / move after read). A rename is
 * atomic but only works within one filesystem; across filesystems (EXDEV: another mount, a tmpfs,
 * a network share) the file is copied next to its target as `<name>.part`, flushed to disk
 * (fsync of the file and its folder), renamed into place, and only then is the source removed —
 * a crash leaves the source or a `.part` file, never a lost or half-written target.
 */
import { constants } from 'node:fs';
import { copyFile, open, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { tempName } from '../shared/files';

/** The rename to use (a seam: tests force EXDEV where both folders share one filesystem). */
export type RenameFn = (from: string, to: string) => Promise<void>;

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function moveFile(
  source: string,
  target: string,
  renameFile: RenameFn = rename,
): Promise<void> {
  try {
    await renameFile(source, target);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  const temp = join(dirname(target), tempName(basename(target)));
  try {
    const info = await stat(source);
    // Streams in the kernel (copy_file_range / sendfile): never buffered whole.
    await copyFile(source, temp, constants.COPYFILE_EXCL);
    await utimes(temp, info.atime, info.mtime);
    await fsync(temp);
    await rename(temp, target); // same folder: same filesystem
    await fsync(dirname(target));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await unlink(source);
}
