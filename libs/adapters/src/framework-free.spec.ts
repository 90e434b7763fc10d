import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The adapter runtime runs in the API and in the flow runtime, so it must not pull in either
 * one's framework. ESLint's module boundaries (`type:adapters`) say the same for lint runs; this
 * test holds it for every file whatever the lint configuration becomes.
 */
const SRC = __dirname;
const BANNED = [
  /^@nestjs\//,
  /^typeorm(\/|$)/,
  /^pg(\/|$)/,
  /^fastify(\/|$)/,
  /^@fastify\//,
  /^@angular\//,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function specifiers(text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]));
}

const files = sourceFiles(SRC)
  .filter((path) => path !== __filename)
  .map((path) => ({
    file: relative(SRC, path),
    path,
    imports: specifiers(readFileSync(path, 'utf8')),
  }));

describe('the adapter runtime is framework-free', () => {
  it('finds the imports it checks (the scan is not vacuous)', () => {
    const imports = (name: string) => files.find((f) => f.file.endsWith(name))?.imports ?? [];
    expect(files.length).toBeGreaterThan(20);
    expect(imports('sftp/ssh-connect.ts')).toContain('ssh2');
    expect(imports('ftp/ftp-adapter.ts')).toContain('@integrixs/domain');
  });

  it('imports no Nest, TypeORM, pg, Fastify or Angular, and no workspace alias but domain', () => {
    const offending = files.flatMap(({ file, imports }) =>
      imports
        .filter(
          (s) =>
            BANNED.some((ban) => ban.test(s)) ||
            (s.startsWith('@integrixs/') && s !== '@integrixs/domain'),
        )
        .map((s) => `${file}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('never reaches outside the library by relative path', () => {
    const offending = files.flatMap(({ file, path, imports }) =>
      imports
        .filter((s) => s.startsWith('.') && !resolve(path, '..', s).startsWith(SRC + sep))
        .map((s) => `${file}: ${s}`),
    );
    expect(offending).toEqual([]);
  });
});
