import { SchemaInvalidError, type SchemaProblem } from '../problems/schema-problems';
import {
  listZipEntries,
  readZipEntry,
  ZipFormatError,
  ZipRefusedError,
  type ZipEntry,
} from './zip-reader';

export type SchemaType = 'XSD' | 'WSDL' | 'JSON_SCHEMA';

export interface SchemaFile {
  /** Relative, normalised path inside the bundle (`maindoc/UBL-Invoice-2.1.xsd`). */
  path: string;
  text: string;
}

/** A schema as stored in a version: one document or several files with relative paths kept. */
export interface SchemaBundle {
  type: SchemaType;
  files: SchemaFile[];
  /** Path of the entry file (the main XSD, the WSDL with the services, the root JSON Schema). */
  main: string;
}

/** Another library schema, handed out by a {@link SchemaResolver}. */
export interface LibrarySchema {
  /**
   * Opaque reference recorded in the compile output's references (the later wiring passes an
   * asset id, or `assetId@version`), so dependency rows can be derived from them.
   */
  ref: string;
  bundle: SchemaBundle;
}

/**
 * Looks up other library schemas (same package, or packages the user can read). The engines
 * never touch the network: whatever this does not return is an unresolved reference.
 */
export interface SchemaResolver {
  /** An XSD (or WSDL) whose target namespace is `namespace`. */
  resolveNamespace?(namespace: string): Promise<LibrarySchema | undefined>;
  /** A JSON Schema whose `$id` (without fragment) is `id`. */
  resolveId?(id: string): Promise<LibrarySchema | undefined>;
}

export interface BundleLimits {
  maxFiles: number;
  /** Sum of all files, in bytes (UTF-8). */
  maxTotalBytes: number;
  maxFileBytes: number;
  /** Folder levels in a path (`a/b/c.xsd` is 3). */
  maxPathDepth: number;
  maxPathLength: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxFiles: 500,
  maxTotalBytes: 32 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
  maxPathDepth: 12,
  maxPathLength: 512,
};

const EXTENSIONS: Record<SchemaType, string[]> = {
  XSD: ['.xsd'],
  WSDL: ['.wsdl'],
  JSON_SCHEMA: ['.json'],
};

/** Zip entries that are never schema files (macOS resource forks, Finder litter). */
const JUNK = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/;

/**
 * Normalises a relative path: `\` → `/`, `.` and empty segments dropped, `..` folded. Returns
 * the reason it cannot be used when it is absolute, carries a scheme or drive, escapes the
 * bundle root, or contains control characters.
 */
export function normalizeBundlePath(raw: string): { path: string } | { error: string } {
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    return { error: 'contains control characters' };
  }
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return { error: 'is absolute; use a path relative to the bundle' };
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(slashed)) {
    return { error: 'has a drive or URL scheme; use a path relative to the bundle' };
  }
  const out: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return { error: 'leaves the bundle (too many "..")' };
      out.pop();
    } else {
      out.push(segment);
    }
  }
  if (out.length === 0) return { error: 'is empty' };
  return { path: out.join('/') };
}

/** True when `location` is an absolute URL or path (never looked up on disk or network). */
export function isAbsoluteLocation(location: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(location) || location.startsWith('/');
}

/**
 * Resolves a relative `schemaLocation` / `location` / `$ref` path written in bundle file `from`.
 * Undefined for absolute URLs and for paths that leave the bundle.
 */
export function resolveBundlePath(from: string, location: string): string | undefined {
  const withoutFragment = location.split('#')[0].split('?')[0];
  if (withoutFragment === '' || isAbsoluteLocation(withoutFragment)) return undefined;
  let decoded = withoutFragment;
  try {
    decoded = decodeURI(withoutFragment);
  } catch {
    // keep it as written
  }
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  const result = normalizeBundlePath(dir + decoded);
  return 'path' in result ? result.path : undefined;
}

export function bundleFile(bundle: SchemaBundle, path: string): SchemaFile | undefined {
  return bundle.files.find((f) => f.path === path);
}

export function mainFile(bundle: SchemaBundle): SchemaFile {
  const file = bundleFile(bundle, bundle.main);
  if (!file) throw new Error(`bundle main ${bundle.main} is not one of its files`);
  return file;
}

export interface BundleInput {
  type: SchemaType;
  files: { path: string; text: string }[];
  main?: string;
}

/**
 * Builds a bundle from uploaded files: normalises and checks every path, applies the caps and
 * picks the entry file when `main` is not given. Throws {@link SchemaInvalidError} listing every
 * problem.
 */
export function createBundle(input: BundleInput, limits: Partial<BundleLimits> = {}): SchemaBundle {
  const caps = { ...DEFAULT_BUNDLE_LIMITS, ...limits };
  const problems: SchemaProblem[] = [];
  const bad = (message: string, file?: string) =>
    problems.push({ file, message, code: 'bundle_invalid' });

  if (input.files.length === 0) bad('the bundle has no files');
  if (input.files.length > caps.maxFiles) {
    bad(`the bundle has ${input.files.length} files; at most ${caps.maxFiles} are accepted`);
  }
  const files: SchemaFile[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const file of input.files.slice(0, caps.maxFiles)) {
    const normalized = checkPath(file.path, caps);
    if ('error' in normalized) {
      bad(`path "${file.path}" ${normalized.error}`, file.path);
      continue;
    }
    const path = normalized.path;
    if (seen.has(path)) {
      bad(`path "${path}" appears twice`, path);
      continue;
    }
    seen.add(path);
    const bytes = Buffer.byteLength(file.text, 'utf8');
    total += bytes;
    if (bytes > caps.maxFileBytes) {
      bad(`${path} is ${bytes} bytes; a file may have at most ${caps.maxFileBytes}`, path);
      continue;
    }
    files.push({ path, text: stripBom(file.text) });
  }
  if (total > caps.maxTotalBytes) {
    bad(`the bundle is ${total} bytes; at most ${caps.maxTotalBytes} are accepted`);
  }

  let main: string | undefined;
  if (input.main !== undefined) {
    const normalized = normalizeBundlePath(input.main);
    main = 'path' in normalized ? normalized.path : undefined;
    if (!main || !seen.has(main)) bad(`main "${input.main}" is not one of the bundle's files`);
  } else if (problems.length === 0) {
    const detected = detectMain(input.type, files);
    if ('error' in detected) bad(detected.error);
    else main = detected.main;
  }
  if (problems.length > 0 || !main) throw new SchemaInvalidError(problems);
  return { type: input.type, files, main };
}

export interface ZipBundleInput {
  type: SchemaType;
  /** The zip archive, base64-encoded. */
  zipBase64: string;
  main?: string;
}

/**
 * Builds a bundle from a zip archive, without trusting it: the entries are listed and checked
 * first (count, overlapping entries, zip-slip paths, declared sizes), then inflated one by one
 * off the event loop with caps on the bytes they actually produce, per file and in total (see
 * zip-reader.ts). Nothing is ever written to disk.
 */
export async function bundleFromZip(
  input: ZipBundleInput,
  limits: Partial<BundleLimits> = {},
): Promise<SchemaBundle> {
  const caps = { ...DEFAULT_BUNDLE_LIMITS, ...limits };
  const archive = Buffer.from(input.zipBase64, 'base64');
  const problems: SchemaProblem[] = [];
  const wanted: { path: string; entry: ZipEntry }[] = [];
  let declaredTotal = 0;
  try {
    for (const entry of listZipEntries(archive, caps.maxFiles * 4)) {
      if (entry.name.endsWith('/') || JUNK.test(entry.name)) continue;
      const normalized = checkPath(entry.name, caps);
      if ('error' in normalized) {
        problems.push({
          file: entry.name,
          message: `zip entry "${entry.name}" ${normalized.error}`,
          code: 'bundle_invalid',
        });
        continue;
      }
      if (entry.declaredSize > caps.maxFileBytes) {
        problems.push({
          file: normalized.path,
          message: `${normalized.path} is ${entry.declaredSize} bytes; a file may have at most ${caps.maxFileBytes}`,
          code: 'bundle_invalid',
        });
        continue;
      }
      declaredTotal += entry.declaredSize;
      wanted.push({ path: normalized.path, entry });
    }
    if (declaredTotal > caps.maxTotalBytes) {
      problems.push({
        message: `the zip expands to more than ${caps.maxTotalBytes} bytes`,
        code: 'bundle_invalid',
      });
    }
    if (problems.length > 0) throw new SchemaInvalidError(problems);
    const files: { path: string; text: string }[] = [];
    let total = 0;
    for (const { path, entry } of wanted) {
      const cap = Math.min(caps.maxFileBytes, caps.maxTotalBytes - total);
      const bytes = await readZipEntry(archive, entry, cap);
      total += bytes.length;
      files.push({ path, text: decodeText(bytes) });
    }
    return createBundle({ type: input.type, files, main: input.main }, limits);
  } catch (error) {
    if (error instanceof ZipRefusedError) {
      throw new SchemaInvalidError([
        { file: error.entry, message: error.message, code: 'bundle_invalid' },
      ]);
    }
    if (error instanceof ZipFormatError || error instanceof RangeError) {
      throw new SchemaInvalidError([
        {
          message: `the upload is not a readable zip archive (${error.message})`,
          code: 'bundle_invalid',
        },
      ]);
    }
    throw error;
  }
}

function checkPath(raw: string, caps: BundleLimits): { path: string } | { error: string } {
  if (raw.length > caps.maxPathLength) {
    return { error: `is longer than ${caps.maxPathLength} characters` };
  }
  const normalized = normalizeBundlePath(raw);
  if ('error' in normalized) return normalized;
  if (normalized.path.split('/').length > caps.maxPathDepth) {
    return { error: `is nested deeper than ${caps.maxPathDepth} levels` };
  }
  return normalized;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Decodes a file from its bytes: BOM first, then an XML encoding declaration, else UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // unknown label: fall back to UTF-8 and let the parser complain
    }
  }
  return stripBom(new TextDecoder('utf-8').decode(bytes));
}

const XSD_LOCATION =
  /<(?:[\w.-]+:)?(?:import|include|redefine)\b[^>]*?\bschemaLocation\s*=\s*["']([^"']+)["']/g;
const WSDL_LOCATION = /<(?:[\w.-]+:)?import\b[^>]*?\blocation\s*=\s*["']([^"']+)["']/g;
const JSON_REF = /"\$ref"\s*:\s*"([^"#][^"]*)"/g;
const JSON_ID = /"\$?id"\s*:\s*"([^"#]+)/;

/**
 * Picks the entry file of a bundle: the only file of the type's extension that no other file
 * refers to (by relative location, or for JSON Schema by `$id`). A lexical scan, good enough to
 * choose; the compilers then parse properly.
 */
export function detectMain(
  type: SchemaType,
  files: SchemaFile[],
): { main: string } | { error: string } {
  if (files.length === 1) return { main: files[0].path };
  const candidates = files.filter((f) =>
    EXTENSIONS[type].some((ext) => f.path.toLowerCase().endsWith(ext)),
  );
  if (candidates.length === 1) return { main: candidates[0].path };
  if (candidates.length === 0) {
    return { error: `no ${EXTENSIONS[type].join('/')} file in the bundle; name the main file` };
  }
  const referenced = new Set<string>();
  const referring = new Set<string>();
  const ids = new Map<string, string>();
  if (type === 'JSON_SCHEMA') {
    for (const f of files) {
      const id = JSON_ID.exec(f.text)?.[1];
      if (id) ids.set(id, f.path);
    }
  }
  for (const f of files) {
    const pattern = type === 'XSD' ? XSD_LOCATION : type === 'WSDL' ? WSDL_LOCATION : JSON_REF;
    for (const match of f.text.matchAll(pattern)) {
      const target = resolveBundlePath(f.path, match[1]);
      const byId = type === 'JSON_SCHEMA' ? refTargetById(f.text, match[1], ids) : undefined;
      for (const found of [target, byId]) {
        if (found && found !== f.path) {
          referenced.add(found);
          referring.add(f.path);
        }
      }
    }
    if (type === 'WSDL') {
      for (const match of f.text.matchAll(XSD_LOCATION)) {
        const target = resolveBundlePath(f.path, match[1]);
        if (target) referenced.add(target);
      }
    }
  }
  const roots = candidates.filter((f) => !referenced.has(f.path));
  if (roots.length === 1) return { main: roots[0].path };
  // Several unreferenced files: the entry is the one that brings the others in.
  const entries = roots.filter((f) => referring.has(f.path));
  if (entries.length === 1) return { main: entries[0].path };
  const names = (roots.length > 0 ? roots : candidates).map((f) => f.path).join(', ');
  return { error: `cannot tell which file is the main one (${names}); name it with "main"` };
}

function refTargetById(text: string, ref: string, ids: Map<string, string>): string | undefined {
  const base = JSON_ID.exec(text)?.[1];
  try {
    const absolute = new URL(ref, base ?? 'bundle:/').href.split('#')[0];
    return ids.get(absolute);
  } catch {
    return undefined;
  }
}
