import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The scan behind each framework-free library's spec (schema engine, adapters, mapping engine):
 * they run in the API and in the flow runtime's worker, so they must not pull in either one's
 * framework. ESLint's module boundaries say the same for lint runs; the specs hold it for every
 * file, whatever the lint configuration becomes, worker files that nothing imports included.
 * Test support only: nothing outside a spec imports `@integrixs/domain/testing`.
 */

/** Packages only a server app (or the console) may use. */
export const SERVER_FRAMEWORKS = [
  /^@nestjs\//,
  /^typeorm(\/|$)/,
  /^pg(\/|$)/,
  /^fastify(\/|$)/,
  /^@fastify\//,
  /^@angular\//,
];

export interface ScannedFile {
  /** Relative to the library's src/. */
  readonly file: string;
  readonly path: string;
  readonly imports: string[];
}

/** Every module specifier in a file: static imports and re-exports, import(), require(). */
export function specifiers(text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

/** The library's source files and their imports; `spec` (the calling spec) is left out. */
export function scanLibrary(src: string, spec: string): ScannedFile[] {
  return sourceFiles(src)
    .filter((path) => path !== spec)
    .map((path) => ({
      file: relative(src, path),
      path,
      imports: specifiers(readFileSync(path, 'utf8')),
    }));
}

/** `file: specifier` for every import a test rejects. */
export function offendingImports(
  files: readonly ScannedFile[],
  rejects: (specifier: string, file: ScannedFile) => boolean,
): string[] {
  return files.flatMap((f) => f.imports.filter((s) => rejects(s, f)).map((s) => `${f.file}: ${s}`));
}

/** Imports of a server framework or the console's. */
export function frameworkImports(files: readonly ScannedFile[]): string[] {
  return offendingImports(files, (s) => SERVER_FRAMEWORKS.some((ban) => ban.test(s)));
}

/** Workspace aliases (`@integrixs/…`) other than the allowed ones. */
export function workspaceImports(
  files: readonly ScannedFile[],
  allowed: (specifier: string, file: ScannedFile) => boolean,
): string[] {
  return offendingImports(files, (s, f) => s.startsWith('@integrixs/') && !allowed(s, f));
}

/** The domain library, and its test support in specs: all a library on the domain alone uses. */
export function domainOnly(specifier: string, file: ScannedFile): boolean {
  return (
    specifier === '@integrixs/domain' ||
    (specifier === '@integrixs/domain/testing' && file.file.endsWith('.spec.ts'))
  );
}

/** Relative imports that leave the library's src/ (into the API, its errors, another lib). */
export function escapingImports(files: readonly ScannedFile[], src: string): string[] {
  return offendingImports(
    files,
    (s, f) => s.startsWith('.') && !resolve(f.path, '..', s).startsWith(src + sep),
  );
}
