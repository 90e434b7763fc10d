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

/** Workspace aliases the engine may use: domain only (never the API, never the client). */
const WORKSPACE_ALLOWED = new Set(['@integrixs/domain']);

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

describe('the schema engine is framework-free', () => {
  it('finds the imports it checks (the scan is not vacuous)', () => {
    const imports = (name: string) => files.find((f) => f.file.endsWith(name))?.imports ?? [];
    expect(files.length).toBeGreaterThan(40);
    expect(imports('json-ajv.ts')).toContain('ajv');
    expect(imports('json-safety.ts')).toContain('@integrixs/domain');
    expect(imports('xsd-validator.worker.mjs')).toContain('node:worker_threads');
    expect(specifiers("import { Injectable } from '@nestjs/common';")).toEqual(['@nestjs/common']);
  });

  it('imports no Nest, TypeORM, pg, Fastify or Angular', () => {
    const offending = files.flatMap(({ file, imports }) =>
      imports.filter((s) => BANNED.some((ban) => ban.test(s))).map((s) => `${file}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('uses no workspace alias but @integrixs/domain', () => {
    const offending = files.flatMap(({ file, imports }) =>
      imports
        .filter((s) => s.startsWith('@integrixs/') && !WORKSPACE_ALLOWED.has(s))
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
