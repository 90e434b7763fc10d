import {
  domainOnly,
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
const files = scanLibrary(__dirname, __filename);

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
    expect(frameworkImports(files)).toEqual([]);
  });

  it('uses no workspace alias but @integrixs/domain', () => {
    // Never the API, never the client; the domain's test support only in specs.
    expect(workspaceImports(files, domainOnly)).toEqual([]);
  });

  it('never reaches outside the library by relative path (the API, its errors)', () => {
    expect(escapingImports(files, __dirname)).toEqual([]);
  });
});
