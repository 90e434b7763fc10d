import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';

import { freePort, ROOT, runServer, waitForHttp } from './server-process';

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string | number | boolean> }>;
}

/** `KEY=value` lines, as compose reads an env file. */
function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}` (the forms compose.yaml uses). */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g,
    (_match, name: string, operator, operand: string) => {
      const set = env[name];
      if (set !== undefined && set !== '') return set;
      if (operator === ':?') throw new Error(`compose refuses to start: ${name}: ${operand}`);
      return operator === ':-' ? operand : '';
    },
  );
}

/** The runtime stage's `ENV` of docker/Dockerfile. */
function dockerfileEnv(): Record<string, string> {
  const text = readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8');
  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  const block = /\nENV ((?:[^\n]*\\\n)*[^\n]*)/.exec(runtime)?.[1] ?? '';
  return Object.fromEntries(
    [...block.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
}

/**
 * Docker cannot run here, so this runs what the image would: the built server with the
 * Dockerfile's environment, the compose file's api environment filled from the env file that
 * docker/generate-env.sh writes (as the README says), and a local database instead of the
 * compose service.
 */
describe('production install (docker/compose.yaml, NODE_ENV=production)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'integrixs-prod-'));

  beforeAll(() => {
    chmodSync(dir, 0o755);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs the generated secrets: without them compose stops with the command to run', () => {
    const compose = parseYaml(
      readFileSync(path.join(ROOT, 'docker/compose.yaml'), 'utf8'),
    ) as ComposeFile;
    const api = compose.services['api']?.environment ?? {};
    expect(() => interpolate(String(api['INTEGRIXS_JWT_SECRET']), {})).toThrow(/generate-env\.sh/);
    expect(api['INTEGRIXS_SEED_DEMO']).toBeUndefined();
  });

  it('starts with the documented env file, and creates no demo user or package', async () => {
    const envFile = path.join(dir, 'integrixs.env');
    execFileSync('sh', [path.join(ROOT, 'docker/generate-env.sh'), envFile]);
    const secrets = readEnvFile(envFile);
    expect(Object.keys(secrets).sort()).toEqual([
      'INTEGRIXS_ENCRYPTION_KEY',
      'INTEGRIXS_JWT_SECRET',
      'POSTGRES_PASSWORD',
    ]);
    const compose = parseYaml(
      readFileSync(path.join(ROOT, 'docker/compose.yaml'), 'utf8'),
    ) as ComposeFile;
    const apiEnv = Object.fromEntries(
      Object.entries(compose.services['api']?.environment ?? {}).map(([name, value]) => [
        name,
        interpolate(String(value), secrets),
      ]),
    );
    expect(apiEnv['DATABASE_URL']).toContain(secrets['POSTGRES_PASSWORD']);
    // Here, the embedded PostgreSQL stands in for the compose service "postgres".
    delete apiEnv['DATABASE_URL'];
    const port = await freePort();
    const server = runServer({
      ...dockerfileEnv(),
      ...apiEnv,
      HOST: '127.0.0.1',
      PORT: String(port),
      INTEGRIXS_DATA_DIR: path.join(dir, 'data'),
      INTEGRIXS_EMBEDDED_PG_PORT: String(await freePort()),
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/api/health`, server);
      expect(server.output()).toMatch(/administrator "admin" created with password/);
      expect(server.output()).not.toMatch(/seeded the demo package/);
      const demo = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo', password: 'integrixs-sandbox' }),
      });
      expect(demo.status).toBe(401);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 120_000);
});
