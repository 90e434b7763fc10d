import { strToU8, zipSync } from 'fflate';

import { SchemaInvalidError } from '../problems/schema-problems';
import { corpusFiles } from '../testing/corpus';
import { craftZip, honestEntry, lyingZipBomb, overlappingZip } from '../testing/zip-bombs';
import {
  bundleFromZip,
  createBundle,
  detectMain,
  normalizeBundlePath,
  resolveBundlePath,
  type SchemaType,
} from './schema-bundle';

function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaInvalidError);
    return (error as SchemaInvalidError).problems.map((p) => p.message);
  }
  throw new Error('expected a SchemaInvalidError');
}

const zip = (files: Record<string, string | Uint8Array>): string =>
  Buffer.from(
    zipSync(
      Object.fromEntries(
        Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v]),
      ),
    ),
  ).toString('base64');

describe('bundle paths', () => {
  it.each([
    ['a.xsd', 'a.xsd'],
    ['./dir//b.xsd', 'dir/b.xsd'],
    ['dir\\sub\\c.xsd', 'dir/sub/c.xsd'],
    ['dir/../d.xsd', 'd.xsd'],
  ])('normalises %s to %s', (raw, path) => {
    expect(normalizeBundlePath(raw)).toEqual({ path });
  });

  it.each([
    ['../evil.xsd', /leaves the bundle/],
    ['dir/../../evil.xsd', /leaves the bundle/],
    ['/etc/passwd', /absolute/],
    ['C:\\Windows\\win.ini', /drive or URL scheme/],
    ['http://example.com/a.xsd', /drive or URL scheme/],
    ['a\u0000.xsd', /control characters/],
    ['./', /empty/],
  ])('refuses %s', (raw, reason) => {
    const result = normalizeBundlePath(raw);
    expect('error' in result && result.error).toMatch(reason);
  });

  it.each([
    [
      'maindoc/UBL-Invoice-2.1.xsd',
      '../common/UBL-CommonBasicComponents-2.1.xsd',
      'common/UBL-CommonBasicComponents-2.1.xsd',
    ],
    ['a/b.wsdl', './c.xsd', 'a/c.xsd'],
    ['a/b.wsdl', 'c%20d.xsd', 'a/c d.xsd'],
    ['a/b.json', 'c.json#/definitions/x', 'a/c.json'],
    ['a.xsd', '../../x.xsd', undefined],
    ['a.xsd', 'http://example.com/x.xsd', undefined],
    ['a.xsd', 'file:///etc/passwd', undefined],
  ])('resolves %s → %s as %s', (from, location, expected) => {
    expect(resolveBundlePath(from, location)).toBe(expected);
  });
});

describe('createBundle', () => {
  it('keeps relative paths and finds the entry file', () => {
    const files = corpusFiles('wsdl/complex');
    const bundle = createBundle({ type: 'WSDL', files });
    expect(bundle.main).toBe('registration.wsdl');
    expect(bundle.files.map((f) => f.path)).toContain('common-types.xsd');
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(() =>
      createBundle(
        {
          type: 'XSD',
          files: [
            { path: '../up.xsd', text: '<a/>' },
            { path: 'a.xsd', text: '<a/>' },
            { path: './a.xsd', text: '<a/>' },
            { path: 'big.xsd', text: 'x'.repeat(2000) },
          ],
        },
        { maxFileBytes: 1000 },
      ),
    );
    expect(problems).toEqual([
      'path "../up.xsd" leaves the bundle (too many "..")',
      'path "a.xsd" appears twice',
      'big.xsd is 2000 bytes; a file may have at most 1000',
    ]);
  });

  it.each([
    [{ maxFiles: 2 }, 3, 10, /has 3 files; at most 2/],
    [{ maxTotalBytes: 25 }, 3, 10, /at most 25 are accepted/],
    [{ maxPathDepth: 2 }, 1, 10, /nested deeper than 2 levels/],
  ])('applies the caps %j', (limits, count, size, message) => {
    const files = Array.from({ length: count }, (_, i) => ({
      path: `a/b/c${i}.xsd`,
      text: 'x'.repeat(size),
    }));
    expect(
      problemsOf(() => createBundle({ type: 'XSD', files, main: 'a/b/c0.xsd' }, limits)).join('\n'),
    ).toMatch(message);
  });

  it('strips a byte order mark', () => {
    const bundle = createBundle({ type: 'XSD', files: [{ path: 'a.xsd', text: '\ufeff<a/>' }] });
    expect(bundle.files[0].text).toBe('<a/>');
  });
});

describe('detectMain', () => {
  const detect = (type: SchemaType, folder: string, filter?: (p: string) => boolean) =>
    detectMain(type, corpusFiles(folder, filter));

  it('picks the only schema no other file imports', () => {
    expect(detect('XSD', 'xsd/ubl-2.1', (p) => p.endsWith('.xsd') && !p.includes('Order'))).toEqual(
      { main: 'maindoc/UBL-Invoice-2.1.xsd' },
    );
    expect(detect('WSDL', 'wsdl/wsdlImport', (p) => p !== 'overridden.wsdl')).toEqual({
      main: 'main.wsdl',
    });
    expect(
      detect(
        'JSON_SCHEMA',
        'jsonschema/package',
        (p) => p === 'schema.json' || p.startsWith('refs/'),
      ),
    ).toEqual({ main: 'schema.json' });
  });

  it('asks for main when several files could be it', () => {
    const result = detect('XSD', 'xsd/ubl-2.1', (p) => p.endsWith('.xsd'));
    expect('error' in result && result.error).toMatch(
      /UBL-Invoice-2.1.xsd, maindoc\/UBL-Order-2.1.xsd.*name it with "main"/,
    );
  });
});

async function problemsOfAsync(work: () => Promise<unknown>): Promise<string[]> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaInvalidError);
    return (error as SchemaInvalidError).problems.map((p) => p.message);
  }
  throw new Error('expected a SchemaInvalidError');
}

const base64 = (bytes: Buffer) => bytes.toString('base64');

describe('bundleFromZip', () => {
  it('reads a zip with folders, skipping directory entries and macOS litter', async () => {
    const bundle = await bundleFromZip({
      type: 'XSD',
      zipBase64: zip({
        'main/a.xsd': '<a/>',
        'common/b.xsd': '<b/>',
        '__MACOSX/main/._a.xsd': 'junk',
      }),
      main: 'main/a.xsd',
    });
    expect(bundle.files.map((f) => f.path).sort()).toEqual(['common/b.xsd', 'main/a.xsd']);
  });

  it('reads stored (uncompressed) entries', async () => {
    const stored = Buffer.from(zipSync({ 'a.xsd': strToU8('<a/>') }, { level: 0 }));
    const bundle = await bundleFromZip({ type: 'XSD', zipBase64: base64(stored) });
    expect(bundle.files).toEqual([{ path: 'a.xsd', text: '<a/>' }]);
  });

  it.each([
    ['zip-slip', { '../../evil.xsd': '<a/>', 'a.xsd': '<a/>' }, /leaves the bundle/],
    ['an absolute path', { '/etc/cron.d/evil': '<a/>', 'a.xsd': '<a/>' }, /absolute/],
    ['a drive path', { 'C:/evil.xsd': '<a/>', 'a.xsd': '<a/>' }, /drive/],
  ])('refuses %s', async (_name, files, message) => {
    expect(
      (await problemsOfAsync(() => bundleFromZip({ type: 'XSD', zipBase64: zip(files) }))).join(
        '\n',
      ),
    ).toMatch(message);
  });

  it('refuses a zip bomb from its declared size, without inflating it', async () => {
    const bomb = zip({ 'a.xsd': new Uint8Array(16 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(200_000);
    expect(
      (
        await problemsOfAsync(() =>
          bundleFromZip({ type: 'XSD', zipBase64: bomb }, { maxFileBytes: 1024 * 1024 }),
        )
      ).join('\n'),
    ).toMatch(/a file may have at most 1048576/);
  });

  it('refuses an entry that inflates past the size it declares, stopping there', async () => {
    // 1 GiB of zeros in a 1 MB archive whose headers claim 174 bytes.
    const bomb = lyingZipBomb('bomb.xsd', 1024);
    expect(bomb.length).toBeLessThan(1_100_000);
    const error = await bundleFromZip({ type: 'XSD', zipBase64: base64(bomb) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaInvalidError);
    expect((error as SchemaInvalidError).problems).toEqual([
      {
        file: 'bomb.xsd',
        message:
          'zip entry "bomb.xsd" inflates to more than the 174 bytes it declares (a zip bomb); inflation was stopped there',
        code: 'bundle_invalid',
      },
    ]);
  });

  it('refuses entries that share their compressed bytes (the non-recursive zip bomb)', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `copy${i}.xsd`);
    const bomb = overlappingZip(honestEntry('copy0.xsd', `<a>${'x'.repeat(10_000)}</a>`), names);
    const error = await bundleFromZip({ type: 'XSD', zipBase64: base64(bomb) }).catch(
      (e: unknown) => e,
    );
    expect((error as SchemaInvalidError).problems).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^zip entries "copy\d+\.xsd" and "copy\d+\.xsd" overlap: they share compressed bytes/,
        ) as string,
        code: 'bundle_invalid',
      }),
    ]);
  });

  it('refuses an entry whose content does not match its CRC', async () => {
    const entry = { ...honestEntry('a.xsd', '<a/>'), crc: 12345 };
    expect(
      (
        await problemsOfAsync(() =>
          bundleFromZip({ type: 'XSD', zipBase64: base64(craftZip([entry])) }),
        )
      ).join('\n'),
    ).toMatch(/not a readable zip archive \(entry "a.xsd" is corrupt/);
  });

  it('keeps the event loop free while it inflates', async () => {
    // 10 files of 1 MiB: legitimate, and enough inflating to notice a blocked loop.
    const files = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`f${i}.xsd`, new Uint8Array(1 << 20).fill(97)]),
    );
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    try {
      const bundle = await bundleFromZip({ type: 'XSD', zipBase64: zip(files), main: 'f0.xsd' });
      expect(bundle.files).toHaveLength(10);
    } finally {
      clearInterval(timer);
    }
    // One inflate per file runs on the thread pool; the timer runs between them.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('refuses too many entries', async () => {
    const files = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}.xsd`, '<a/>']));
    expect(
      (
        await problemsOfAsync(() =>
          bundleFromZip({ type: 'XSD', zipBase64: zip(files) }, { maxFiles: 10 }),
        )
      ).join('\n'),
    ).toMatch(/more than 40 entries/);
  });

  it.each([
    ['something that is not a zip', Buffer.from('not a zip')],
    ['a truncated zip', Buffer.from(zipSync({ 'a.xsd': strToU8('<a/>') })).subarray(0, 40)],
  ])('refuses %s', async (_name, bytes) => {
    expect(
      (await problemsOfAsync(() => bundleFromZip({ type: 'XSD', zipBase64: base64(bytes) }))).join(
        '\n',
      ),
    ).toMatch(/not a readable zip/);
  });
});
