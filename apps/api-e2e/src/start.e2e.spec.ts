import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  freePort,
  runServer,
  waitForHttp,
  waitForOutput,
  type ServerProcess,
} from './server-process';

interface PackagePage {
  items: { id: string; name: string; assetCounts: Record<string, number> }[];
  total: number;
}

describe('npm start: the built server with zero configuration', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'integrixs-start-'));
  let port: number;
  let base: string;

  beforeAll(async () => {
    chmodSync(dataDir, 0o755);
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
  }, 180_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const start = async (): Promise<ServerProcess> => {
    const server = runServer({
      PORT: String(port),
      HOST: '127.0.0.1',
      INTEGRIXS_DATA_DIR: dataDir,
      INTEGRIXS_EMBEDDED_PG_PORT: String(await freePort()),
    });
    await waitForHttp(`${base}/api/health`, server);
    // The banner comes last, once the in-process runtime worker has started too.
    await waitForOutput('Integrixs is running', server);
    return server;
  };

  const stop = async (server: ServerProcess, signal: NodeJS.Signals): Promise<number | null> => {
    server.child.kill(signal);
    return server.exited;
  };

  const signIn = async (username: string, password: string): Promise<Record<string, string>> => {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { session: { accessToken: string } };
    return { authorization: `Bearer ${body.session.accessToken}` };
  };

  it('starts embedded PostgreSQL, seeds the demo, serves Swagger, and keeps data across restarts', async () => {
    const first = await start();
    expect(first.output()).toContain(`Integrixs is running: http://127.0.0.1:${port}`);
    // The first administrator's generated password is printed once.
    const printed = /administrator "admin" created with password {2}(\S+)/.exec(first.output());
    expect(printed?.[1]).toMatch(/^[\w-]{16,}$/);
    expect((await fetch(`${base}/api/packages`)).status).toBe(401);
    const demo = await signIn('demo', 'integrixs-sandbox');
    const page = (await (
      await fetch(`${base}/api/packages`, { headers: demo })
    ).json()) as PackagePage;
    expect(
      page.items.map((p) => [p.name, p.assetCounts['SCHEMA'], p.assetCounts['MAPPING']]),
    ).toEqual([['UBL 2.1 Invoice (demo)', 3, 1]]);
    // The built server validates with its XSD worker threads (the build copies the worker file).
    const pkg = page.items[0]?.id ?? '';
    const schemas = (await (
      await fetch(`${base}/api/packages/${pkg}/container/schemas?q=ubl%20invoice`, {
        headers: demo,
      })
    ).json()) as { items: { id: string }[] };
    const validated = await fetch(
      `${base}/api/packages/${pkg}/schemas/${schemas.items[0]?.id}/validate`,
      {
        method: 'POST',
        headers: { ...demo, 'content-type': 'application/xml' },
        body: readFileSync(
          path.join(
            __dirname,
            '../../api/src/demo/data/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml',
          ),
        ),
      },
    );
    expect(await validated.json()).toEqual({ version: 1, valid: true, errors: [] });
    // The built server runs mappings in its mapping worker threads (compiled with the API).
    const mappings = (await (
      await fetch(`${base}/api/packages/${pkg}/container/mappings`, { headers: demo })
    ).json()) as { items: { id: string }[] };
    const tested = await fetch(
      `${base}/api/packages/${pkg}/mappings/${mappings.items[0]?.id}/test-all`,
      { method: 'POST', headers: { ...demo, 'content-type': 'application/json' }, body: '{}' },
    );
    expect(await tested.json()).toMatchObject({ total: 1, passed: 1, failed: 0 });
    // The demo flow (FILE inbox → validate → map → HTTP target on this server) is made READY and
    // deployed in DEV once the server listens: its connection tests pass against the real folder
    // and this very server.
    await waitForOutput('is READY and deployed in DEV', first);
    const active = (await (
      await fetch(`${base}/api/packages/${pkg}/container/flows/active`, { headers: demo })
    ).json()) as { items: { flowName: string; environment: string; state: string }[] };
    expect(active.items).toEqual([
      expect.objectContaining({
        flowName: 'UBL Invoice inbox to summary receiver',
        environment: 'DEV',
        state: 'DEPLOYED',
      }),
    ]);
    expect(existsSync(path.join(dataDir, 'demo', 'inbox'))).toBe(true);
    const docs = await fetch(`${base}/api/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');

    const created = await fetch(`${base}/api/packages`, {
      method: 'POST',
      headers: { ...demo, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Survives restarts' }),
    });
    expect(created.status).toBe(201);
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(readFileSync(path.join(dataDir, 'pg-password'), 'utf8').length).toBeGreaterThan(20);
    expect(statSync(path.join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600);

    expect(await stop(first, 'SIGTERM')).toBe(0);
    // PostgreSQL stopped cleanly with the app: no server left holding the data directory.
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const second = await start();
    expect(second.output()).not.toContain('created with password');
    expect(second.output()).not.toContain('is READY and deployed in DEV');
    // The signing key was kept in the data directory: the access token from before still works.
    const after = (await (
      await fetch(`${base}/api/packages`, { headers: demo })
    ).json()) as PackagePage;
    expect(after.items.map((p) => p.name).sort()).toEqual([
      'Survives restarts',
      'UBL 2.1 Invoice (demo)',
    ]);
    expect(await stop(second, 'SIGINT')).toBe(0);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 180_000);

  it('refuses to start in production without configured keys, naming them', async () => {
    const server = runServer({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://127.0.0.1:1/none',
    });
    expect(await server.exited).toBe(78);
    expect(server.output()).toContain('INTEGRIXS_JWT_SECRET');
    expect(server.output()).toContain('INTEGRIXS_ENCRYPTION_KEY');
  }, 60_000); // a node process start: seconds on a busy 2-core machine

  it('refuses to start with a bad configuration value, naming the variable', async () => {
    const server = runServer({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(await server.exited).toBe(78);
    expect(server.output()).toContain('PORT must be a whole number from 0 to 65535, got "eighty"');
    expect(server.output()).toContain('LOG_LEVEL must be one of');
  }, 60_000);
});
