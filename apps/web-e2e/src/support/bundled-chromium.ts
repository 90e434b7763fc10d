import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** The bundled Chromium's binary and the flags to start it with. */
export interface BundledChromium {
  readonly executablePath: string;
  readonly args: readonly string[];
  /** The package's version, which is Chromium's major version (153.0.0 → Chromium 153). */
  readonly version: string;
}

/**
 * Flags of the package's (made for AWS Lambda) that we leave out: two would make the browser more
 * lenient than the one a person uses (the console's tests must see same-origin and mixed-content
 * rules as they are), and a single-process browser ends when a test closes its browser context.
 */
const DROPPED_FLAGS = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--single-process',
]);

/**
 * The Chromium inside the `@sparticuz/chromium` devDependency: the binary ships in the npm tarball
 * brotli-compressed (nothing is downloaded, at install or here). The package's own
 * `executablePath()` unpacks it (~210 MB, a few seconds) into `os.tmpdir()`; we point that at a
 * folder of our own under `node_modules/.cache`, unpack once into a scratch folder and rename it
 * into place, so test files starting at the same time never run a half-written binary and
 * another user's `/tmp/chromium` is never run.
 */
export async function bundledChromium(): Promise<BundledChromium> {
  const entry = require.resolve('@sparticuz/chromium');
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const cacheRoot = path.resolve(packageDir, '../../.cache/integrixs-chromium');
  const dir = path.join(cacheRoot, version);
  if (!existsSync(dir)) {
    mkdirSync(cacheRoot, { recursive: true });
    const scratch = mkdtempSync(path.join(cacheRoot, `${version}.unpacking-`));
    try {
      await askPackage(entry, scratch);
      renameSync(scratch, dir);
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true });
      if (!existsSync(dir)) throw error; // else another test file unpacked it first
    }
  }
  const { executablePath, args } = await askPackage(entry, dir);
  return { executablePath, args: args.filter((flag) => !DROPPED_FLAGS.has(flag)), version };
}

/**
 * Runs the package's `executablePath()` with `dir` as its temporary folder. In a child process:
 * the package is an ES module, which Jest's CommonJS module system cannot load.
 */
async function askPackage(
  entry: string,
  dir: string,
): Promise<{ executablePath: string; args: string[] }> {
  const script = [
    `const { default: chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)});`,
    'const executablePath = await chromium.executablePath();',
    'process.stdout.write(JSON.stringify({ executablePath, args: chromium.args }));',
  ].join('\n');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '--eval', script],
    { env: { ...process.env, TMPDIR: dir } },
  );
  return JSON.parse(stdout) as { executablePath: string; args: string[] };
}
