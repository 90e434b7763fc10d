import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The engine runs in the API and in the flow runtime's worker, so it must not pull in either
 * one's framework. ESLint's module boundaries say the same for lint runs; this test holds it for
 * every file, whatever the lint configuration becomes, including the worker files that nothing
 * imports statically.
 */
const SRC = __dirname;

/** Packages only a server app (or the console) may use. */
const BANNED = [
  /^@nestjs\//,
  /^typeorm(\/|$)/,
  /^pg(\/|$)/,
  /^fastify(\/|$)/,
  /^@fastify\//,
  /^@angular\//,
];

/** Workspace aliases the engine may use: domain and the schema engine (never the API or the client). */
const WORKSPACE_ALLOWED = new Set(['@integrixs/domain', '@integrixs/schema-engine']);
/** Test support, for specs and `testing/` only. */
const TEST_ONLY = '@integrixs/schema-engine/testing';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier in a file: static imports and re-exports, import(), require(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

// This file names the banned packages in its own sample; it checks itself out of the scan.
const files = sourceFiles(SRC)
  .filter((path) => path !== __filename)
  .map((path) => ({
    file: relative(SRC, path),
    path,
    imports: specifiers(readFileSync(path, 'utf8')),
  }));

describe('the mapping engine is framework-free', () => {
  it('finds the imports it checks (the scan is not vacuous)', () => {
    const imports = (name: string) => files.find((f) => f.file.endsWith(name))?.imports ?? [];
    expect(files.length).toBeGreaterThan(15);
    expect(imports('jsonata-mapping.ts')).toContain('jsonata');
    expect(imports('mapping.worker.ts')).toContain('node:worker_threads');
    expect(specifiers("import { Injectable } from '@nestjs/common';")).toEqual(['@nestjs/common']);
  });

  it('loads no native module in the worker (libxmljs2 cannot load in a worker thread)', () => {
    // What the worker reaches: its own imports, followed through the library's relative imports.
    const byPath = new Map(files.map((f) => [f.path, f]));
    const seen = new Set<string>();
    const external: string[] = [];
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const text = readFileSync(path, 'utf8');
      // Type-only imports are erased: they load nothing.
      const values = specifiers(
        text.replace(
          /import\s+type\s[^;]*;|import\s*\{(\s*type\s+\w+\s*,?)+\}\s*from\s*'[^']+';/g,
          '',
        ),
      );
      for (const s of values) {
        if (s.startsWith('.')) {
          const target = [`${resolve(path, '..', s)}.ts`, resolve(path, '..', s, 'index.ts')].find(
            (p) => byPath.has(p),
          );
          if (target) visit(target);
        } else external.push(s);
      }
    };
    visit(join(SRC, 'run', 'mapping.worker.ts'));
    expect(seen.size).toBeGreaterThan(3);
    expect(external).toContain('jsonata');
    expect(
      external.filter((s) => /libxmljs2|@integrixs\/schema-engine|libxml2-wasm/.test(s)),
    ).toEqual([]);
  });

  it('imports no Nest, TypeORM, pg, Fastify or Angular', () => {
    const offending = files.flatMap(({ file, imports }) =>
      imports.filter((s) => BANNED.some((ban) => ban.test(s))).map((s) => `${file}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('uses no workspace alias but @integrixs/domain and @integrixs/schema-engine', () => {
    const offending = files.flatMap(({ file, imports }) =>
      imports
        .filter((s) => s.startsWith('@integrixs/') && !WORKSPACE_ALLOWED.has(s))
        .filter(
          (s) => s !== TEST_ONLY || !(file.endsWith('.spec.ts') || file.startsWith('testing/')),
        )
        .map((s) => `${file}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('never reaches outside the library by relative path (the API, its errors)', () => {
    const offending = files.flatMap(({ file, path, imports }) =>
      imports
        .filter((s) => s.startsWith('.'))
        .filter((s) => !resolve(path, '..', s).startsWith(SRC + sep))
        .map((s) => `${file}: ${s}`),
    );
    expect(offending).toEqual([]);
  });
});
