import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { digest, generatedStream } from '../testing/streams';
import { tempDir } from '../testing/temp-dir';
import { openFileFolder, testFileAdapter } from './file-adapter';

describe('FILE adapter', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('file');
  });
  afterEach(() => dir.remove());

  it('passes the connection test on a writable folder and leaves no probe behind', async () => {
    const result = await testFileAdapter({ folder: dir.path });
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['folder', 'passed'],
      ['list', 'passed'],
      ['permissions', 'passed'],
    ]);
    expect(result.steps.every((s) => s.durationMs >= 0 && s.message.length > 0)).toBe(true);
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('fails at the folder step when the folder does not exist and skips the rest', async () => {
    const missing = join(dir.path, 'missing');
    const result = await testFileAdapter({ folder: missing });
    expect(result.ok).toBe(false);
    expect(result.steps[0]).toMatchObject({
      step: 'folder',
      status: 'failed',
      message: `folder ${missing} does not exist`,
    });
    expect(result.steps.slice(1).map((s) => s.status)).toEqual(['skipped', 'skipped']);
  });

  it('reports each step to onStep as it completes, in the order of the result', async () => {
    const heard: string[] = [];
    const result = await testFileAdapter(
      { folder: join(dir.path, 'missing') },
      {},
      { onStep: (s) => heard.push(`${s.step}:${s.status}`) },
    );
    expect(heard).toEqual(['folder:failed', 'list:skipped', 'permissions:skipped']);
    expect(result.steps.map((s) => `${s.step}:${s.status}`)).toEqual(heard);
  });

  it('fails when the configured folder is a file', async () => {
    const file = join(dir.path, 'plain.txt');
    await writeFile(file, 'x');
    const result = await testFileAdapter({ folder: file });
    expect(result.steps[0]).toMatchObject({ status: 'failed', message: `${file} is not a folder` });
  });

  it('streams a large file in through a temp name and lists only matching, complete files', async () => {
    const session = openFileFolder({ folder: dir.path, filePattern: '*.bin' });
    const size = 24 * 1024 * 1024;
    await session.write('big.bin', generatedStream(size));
    await writeFile(join(dir.path, 'other.txt'), 'not matching');
    await writeFile(join(dir.path, 'half.bin.part'), 'in progress');
    expect((await session.list()).map((f) => [f.name, f.size])).toEqual([['big.bin', size]]);
    expect(await digest(await session.read('big.bin'))).toEqual(
      await digest(generatedStream(size)),
    );
    await session.close();
  });

  it('removes the temp file and keeps no partial target when the source stream fails', async () => {
    const session = openFileFolder({ folder: dir.path });
    const failing = new Readable({
      read() {
        this.destroy(new Error('source broke'));
      },
    });
    await expect(session.write('x.txt', failing)).rejects.toThrow('source broke');
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('archives a file after reading it', async () => {
    const archive = join(dir.path, 'archive');
    await mkdir(join(dir.path, 'in'));
    await writeFile(join(dir.path, 'in', 'a.xml'), '<a/>');
    const session = openFileFolder({
      folder: join(dir.path, 'in'),
      afterRead: { action: 'archive', targetFolder: archive },
    });
    await session.afterRead('a.xml');
    expect(await readdir(join(dir.path, 'in'))).toEqual([]);
    expect(await readFile(join(archive, 'a.xml'), 'utf8')).toBe('<a/>');
  });

  it('renames a file once (a second rename of it fails) and archives it under its original name', async () => {
    const archive = join(dir.path, 'archive');
    await mkdir(join(dir.path, 'in'));
    await writeFile(join(dir.path, 'in', 'a.xml'), '<a/>');
    const session = openFileFolder({
      folder: join(dir.path, 'in'),
      afterRead: { action: 'move', targetFolder: archive },
    });
    await session.rename('a.xml', 'a.xml.w1.claimed');
    await expect(session.rename('a.xml', 'a.xml.w2.claimed')).rejects.toThrow('ENOENT');
    await expect(session.rename('a.xml.w1.claimed', '../a.xml')).rejects.toThrow(
      'invalid file name',
    );
    await session.afterRead('a.xml.w1.claimed', 'a.xml');
    expect(await readdir(join(dir.path, 'in'))).toEqual([]);
    expect(await readFile(join(archive, 'a.xml'), 'utf8')).toBe('<a/>');
  });

  it('refuses names that would leave the folder', async () => {
    const session = openFileFolder({ folder: dir.path });
    await expect(session.read('../etc/passwd')).rejects.toThrow('invalid file name');
  });
});
