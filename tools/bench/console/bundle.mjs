import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Issue 14: the console's initial JavaScript, compressed, stays within this. */
export const INITIAL_JS_TARGET_KB = 300;

// `import{a as b}from"./chunk-X.js"` and `import"./chunk-X.js"`, not `import("./chunk-X.js")`.
const STATIC_IMPORT = /\bimport\s*(?:[\w$*{}\s,]+from\s*)?["'](\.\/[^"']+\.js)["']/g;
const ENTRY_SCRIPT =
  /<script[^>]*\bsrc="([^"]+\.js)"[^>]*type="module"|<script[^>]*type="module"[^>]*\bsrc="([^"]+\.js)"/g;

/**
 * The JavaScript files a browser loads before the console can start: the module scripts of
 * index.html and, transitively, their static imports (what Angular's build calls "Initial";
 * lazy routes are dynamic imports and stay out).
 */
export function initialScripts(browserDir) {
  const html = readFileSync(path.join(browserDir, 'index.html'), 'utf8');
  const pending = [...html.matchAll(ENTRY_SCRIPT)].map((m) => m[1] ?? m[2]);
  const seen = new Set();
  while (pending.length > 0) {
    const file = path.posix.normalize(pending.pop());
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(path.join(browserDir, file), 'utf8');
    for (const [, imported] of source.matchAll(STATIC_IMPORT)) {
      pending.push(path.posix.join(path.posix.dirname(file), imported));
    }
  }
  return [...seen].sort();
}

/** Raw, gzip (level 9) and brotli (quality 11) bytes of the initial JavaScript of a build. */
export function measureInitialBundle(browserDir) {
  const files = initialScripts(browserDir);
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    const bytes = readFileSync(path.join(browserDir, file));
    total.raw += bytes.length;
    total.gzip += gzipSync(bytes, { level: 9 }).length;
    total.brotli += brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
  }
  return { files, ...total };
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** "123.4 kB gzip, 104.2 kB brotli (470.9 kB raw, 12 files)". */
export function describeBundle(bundle) {
  return (
    `${kb(bundle.gzip)} gzip, ${kb(bundle.brotli)} brotli ` +
    `(${kb(bundle.raw)} raw, ${bundle.files.length} files)`
  );
}
