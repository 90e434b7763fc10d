import {
  domainOnly,
  escapingImports,
  frameworkImports,
  scanLibrary,
  workspaceImports,
} from '@integrixs/domain/testing';

/** The adapter runtime runs in the API and in the flow runtime: no framework of either. */
const files = scanLibrary(__dirname, __filename);

describe('the adapter runtime is framework-free', () => {
  it('finds the imports it checks (the scan is not vacuous)', () => {
    const imports = (name: string) => files.find((f) => f.file.endsWith(name))?.imports ?? [];
    expect(files.length).toBeGreaterThan(20);
    expect(imports('sftp/ssh-connect.ts')).toContain('ssh2');
    expect(imports('ftp/ftp-adapter.ts')).toContain('@integrixs/domain');
  });

  it('imports no Nest, TypeORM, pg, Fastify or Angular, and no workspace alias but domain', () => {
    expect(frameworkImports(files)).toEqual([]);
    expect(workspaceImports(files, domainOnly)).toEqual([]);
  });

  it('never reaches outside the library by relative path', () => {
    expect(escapingImports(files, __dirname)).toEqual([]);
  });
});
