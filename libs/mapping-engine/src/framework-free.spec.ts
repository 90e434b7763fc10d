import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import {
  escapingImports,
  frameworkImports,
  scanLibrary,
  specifiers,
  workspaceImports,
} from '@integrixs/domain/testing';

/**
 * The engine runs in the API and in the flow runtime's worker: no framework of either, checked
 * on every file including the worker files that nothing imports statically.
 */
const SRC = __dirname;
const files = scanLibrary(SRC, __filename);

/** Workspace aliases the engine may use: domain and the schema engine (never the API or the client). */
const WORKSPACE_ALLOWED = new Set(['@integrixs/domain', '@integrixs/schema-engine']);
/** Test support, for specs and `testing/` only. */
const TEST_ONLY = new Set(['@integrixs/schema-engine/testing', '@integrixs/domain/testing']);

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
    expect(frameworkImports(files)).toEqual([]);
  });

  it('uses no workspace alias but @integrixs/domain and @integrixs/schema-engine', () => {
    const forTests = (file: string) => file.endsWith('.spec.ts') || file.startsWith('testing/');
    expect(
      workspaceImports(
        files,
        (s, f) => WORKSPACE_ALLOWED.has(s) || (TEST_ONLY.has(s) && forTests(f.file)),
      ),
    ).toEqual([]);
  });

  it('never reaches outside the library by relative path (the API, its errors)', () => {
    expect(escapingImports(files, SRC)).toEqual([]);
  });
});
