import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createPackage, withSession } from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Problem {
  status: number;
  code: string;
  errors: { path: string; message: string; code: string }[];
  dependents?: { id: string; name: string }[];
}
interface Adapter {
  id: string;
  version: number;
  adapterType: string;
  direction: string;
  configuration: Record<string, unknown>;
}
interface Effective {
  configuration: Record<string, unknown>;
  missing: string[];
}
interface TestResult {
  ok: boolean;
  steps: { step: string; status: string; message: string }[];
  testedBy: string;
}

const FINGERPRINT = 'SHA256:' + 'A'.repeat(43);
// Plaintext secrets used in this suite: each must be found in no table (scanned at the end).
const SECRETS = {
  sftpPassword: 'adapter-spec-sftp-Pw-93f1',
  prodPassword: 'adapter-spec-prod-Pw-71c2',
  httpToken: 'adapter-spec-bearer-Tk-55aa',
  imapPassword: 'adapter-spec-imap-Pw-0b7e',
};

const CONFIGS: Record<string, Record<string, unknown>> = {
  FILE: { folder: '/data/in', filePattern: '*.xml', afterRead: { action: 'keep' } },
  SFTP: {
    host: 'sftp.example.com',
    username: 'erp',
    password: SECRETS.sftpPassword,
    hostKeyFingerprint: FINGERPRINT,
    remoteFolder: '/outbound',
  },
  FTP: { host: 'ftp.example.com', username: 'anonymous', remoteFolder: '/in' },
  EMAIL: {
    imap: { host: 'imap.example.com', username: 'orders', password: SECRETS.imapPassword },
  },
  HTTP: {
    baseUrl: 'https://api.example.com',
    auth: { type: 'bearer', token: SECRETS.httpToken },
  },
};

describe('adapters over HTTP', () => {
  let t: TestApp;
  let pkg: string;
  let developer: TestUser;
  let viewer: TestUser;
  let integrator: TestUser;
  let folder: string;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Adapters');
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    integrator = await t.createUser({
      role: 'INTEGRATOR',
      mfa: true,
      packages: { [pkg]: 'INTEGRATOR' },
    });
    folder = await mkdtemp(join(tmpdir(), 'adapters-spec-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
    await t.close();
  });

  const url = (rest = '') => `/api/packages/${pkg}/adapters${rest}`;
  const create = (body: Record<string, unknown>, as: TestUser | undefined = developer) =>
    t.request({ method: 'POST', url: url(), payload: body, as });
  const adapterBody = (
    name: string,
    adapterType: string,
    configuration = CONFIGS[adapterType],
  ) => ({
    name,
    adapterType,
    direction: 'SOURCE',
    configuration,
  });

  it.each(Object.keys(CONFIGS))(
    'creates an adapter of type %s and masks its secrets',
    async (type) => {
      const created = await create(adapterBody(`My ${type}`, type));
      expect(created.statusCode).toBe(201);
      const adapter = json<Adapter>(created);
      expect(adapter).toMatchObject({ adapterType: type, direction: 'SOURCE', currentVersion: 1 });
      const read = await t.request({ method: 'GET', url: url(`/${adapter.id}`), as: viewer });
      expect(read.statusCode).toBe(200);
      for (const secret of Object.values(SECRETS)) expect(read.body).not.toContain(secret);
      if (type === 'SFTP')
        expect(json<Adapter>(read).configuration).toMatchObject({ password: { set: true } });
    },
  );

  it('refuses a bad configuration with 422 naming every wrong or missing field', async () => {
    const response = await create(
      adapterBody('Bad SFTP', 'SFTP', { host: 'a b', port: 70000, remoteFolder: '/x', extra: 1 }),
    );
    expect(response.statusCode).toBe(422);
    const problem = json<Problem>(response);
    expect(problem.code).toBe('configuration_invalid');
    expect(problem.errors.map((e) => e.path).sort()).toEqual(
      [
        '/configuration/extra',
        '/configuration/host',
        '/configuration/hostKeyFingerprint',
        '/configuration/port',
        '/configuration/username',
      ].sort(),
    );
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM package_assets WHERE name = 'Bad SFTP'`),
    ).toBe(0);
  });

  it('lists adapters filtered by adapterType', async () => {
    const list = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/container/adapters?adapterType=SFTP`,
      as: viewer,
    });
    expect(list.statusCode).toBe(200);
    expect(json<{ items: { name: string }[] }>(list).items.map((i) => i.name)).toEqual(['My SFTP']);
  });

  it('keeps a secret on update when { "set": true } is sent back, and never versions it', async () => {
    const adapter = json<Adapter>(await create(adapterBody('Kept SFTP', 'SFTP')));
    const updated = await t.request({
      method: 'PUT',
      url: url(`/${adapter.id}`),
      as: developer,
      payload: {
        version: adapter.version,
        configuration: { ...adapter.configuration, remoteFolder: '/other' },
      },
    });
    expect(updated.statusCode).toBe(200);
    expect(json<Adapter>(updated).configuration).toMatchObject({
      password: { set: true },
      remoteFolder: '/other',
    });
    const versions = await t.db.pool.query(
      'SELECT content FROM asset_versions WHERE asset_id = $1',
      [adapter.id],
    );
    expect(versions.rows).toHaveLength(2);
    expect(JSON.stringify(versions.rows)).not.toContain(SECRETS.sftpPassword);
  });

  it('a VIEWER cannot write adapters, overlays, credentials or run tests', async () => {
    const adapter = json<Adapter>(await create(adapterBody('Viewer target', 'FILE')));
    const attempts = [
      t.request({ method: 'POST', url: url(), payload: adapterBody('V', 'FILE'), as: viewer }),
      t.request({
        method: 'PUT',
        url: url(`/${adapter.id}/environments/DEV`),
        payload: { values: { folder: '/x' } },
        as: viewer,
      }),
      t.request({
        method: 'POST',
        url: url(`/${adapter.id}/credentials`),
        payload: { environment: 'DEV', secrets: {} },
        as: viewer,
      }),
      t.request({ method: 'POST', url: url(`/${adapter.id}/test?environment=DEV`), as: viewer }),
    ];
    for (const response of await Promise.all(attempts)) expect(response.statusCode).toBe(403);
  });

  describe('environments', () => {
    it('lists the seeded environments and lets administrators add one', async () => {
      const list = await t.request({ method: 'GET', url: '/api/environments', as: viewer });
      expect(json<{ code: string; protected: boolean }[]>(list)).toEqual([
        expect.objectContaining({ code: 'DEV', protected: false }),
        expect.objectContaining({ code: 'TEST', protected: false }),
        expect.objectContaining({ code: 'PROD', protected: true }),
      ]);
      const payload = { code: 'UAT', name: 'User acceptance' };
      expect(
        (await t.request({ method: 'POST', url: '/api/environments', payload, as: developer }))
          .statusCode,
      ).toBe(403);
      expect(
        (await t.request({ method: 'POST', url: '/api/environments', payload })).statusCode,
      ).toBe(201);
      const again = await t.request({ method: 'POST', url: '/api/environments', payload });
      expect(again.statusCode).toBe(409);
      expect(json<Problem>(again).errors.map((e) => e.path)).toEqual(['code']);
      const lower = await t.request({
        method: 'POST',
        url: '/api/environments',
        payload: { code: 'uat', name: 'x' },
      });
      expect(lower.statusCode).toBe(400);
      expect(json<Problem>(lower).errors.map((e) => e.path)).toEqual(['code']);
    });

    it('overlays, reports what PROD is missing, sets credentials with step-up and promotes', async () => {
      const adapter = json<Adapter>(
        await create(adapterBody('Env SFTP', 'SFTP', { ...CONFIGS.SFTP, password: undefined })),
      );
      const base = url(`/${adapter.id}`);
      const overlay = await t.request({
        method: 'PUT',
        url: `${base}/environments/DEV`,
        payload: { values: { host: 'sftp.dev.example.com', remoteFolder: '/dev' } },
        as: integrator,
      });
      expect(overlay.statusCode).toBe(200);
      const bad = await t.request({
        method: 'PUT',
        url: `${base}/environments/DEV`,
        payload: { values: { password: 'nope', port: 'x' } },
        as: integrator,
      });
      expect(bad.statusCode).toBe(422);
      expect(json<Problem>(bad).errors.map((e) => e.path)).toEqual(['/values/password']);

      const prod = await t.request({
        method: 'GET',
        url: `${base}/effective-config?environment=PROD`,
        as: viewer,
      });
      expect(json<Effective>(prod)).toMatchObject({
        configuration: { host: 'sftp.example.com' },
        missing: ['PROD has no password or private key set'],
      });

      // Credentials need a recent MFA confirmation (credential:reveal is a step-up permission).
      const stale = await withSession(t, integrator, null);
      const credentials = { environment: 'PROD', secrets: { '/password': SECRETS.prodPassword } };
      const refused = await t.request({
        method: 'POST',
        url: `${base}/credentials`,
        payload: credentials,
        as: stale,
      });
      expect(refused.statusCode).toBe(401);
      expect(json<Problem>(refused).code).toBe('mfa_required');
      const set = await t.request({
        method: 'POST',
        url: `${base}/credentials`,
        payload: credentials,
        as: integrator,
      });
      expect(set.statusCode).toBe(200);
      expect(json<Effective>(set)).toMatchObject({
        configuration: { password: { set: true } },
        missing: [],
      });
      expect(set.body).not.toContain(SECRETS.prodPassword);
      // Audited: which secret changed where, never its value.
      const { rows: audit } = await t.db.pool.query<{ changes: unknown; env: string }>(
        `SELECT changes, (SELECT id FROM environments WHERE code = 'PROD') AS env
           FROM audit_log WHERE entity_type = 'adapter_credentials' AND entity_id = $1`,
        [adapter.id],
      );
      expect(audit.map((r) => r.changes)).toContainEqual({
        secretsRotated: { after: { environmentId: audit[0]?.env, pointers: ['/password'] } },
      });

      const preview = await t.request({
        method: 'GET',
        url: `${base}/promotion?from=DEV&to=PROD`,
        as: viewer,
      });
      expect(json(preview)).toMatchObject({
        differences: [
          { pointer: '/host', from: 'sftp.dev.example.com' },
          { pointer: '/remoteFolder', from: '/dev' },
        ],
        secretsToEnter: [],
      });
      const promoted = await t.request({
        method: 'POST',
        url: `${base}/promote?from=DEV&to=PROD`,
        as: integrator,
      });
      expect(promoted.statusCode).toBe(200);
      const after = json<Effective>(
        await t.request({ method: 'GET', url: `${base}/effective-config?environment=PROD` }),
      );
      expect(after.configuration).toMatchObject({
        host: 'sftp.dev.example.com',
        remoteFolder: '/dev',
      });
      // The DEV environment has no password of its own and none in the base: it is missing there.
      const dev = json<Effective>(
        await t.request({ method: 'GET', url: `${base}/effective-config?environment=DEV` }),
      );
      expect(dev.missing).toEqual(['DEV has no password or private key set']);

      // TEST removes the base host: it must bring its own, and cannot be tested until it does.
      const cleared = await t.request({
        method: 'PUT',
        url: `${base}/environments/TEST`,
        payload: { values: { host: null } },
        as: integrator,
      });
      expect(cleared.statusCode).toBe(200);
      const test = json<Effective>(
        await t.request({ method: 'GET', url: `${base}/effective-config?environment=TEST` }),
      );
      expect(test.missing).toEqual([
        'TEST has no password or private key set',
        'TEST host is empty',
      ]);
      const untestable = await t.request({
        method: 'POST',
        url: `${base}/test?environment=TEST`,
        as: integrator,
      });
      expect(untestable.statusCode).toBe(422);
      expect(json<Problem>(untestable).errors.map((e) => e.path)).toEqual(['/configuration/host']);
    });
  });

  describe('connection tests', () => {
    it('passes against a real folder and fails naming the missing one; the last result is kept', async () => {
      const adapter = json<Adapter>(
        await create(adapterBody('Local folder', 'FILE', { folder: join(folder, 'missing') })),
      );
      const base = url(`/${adapter.id}`);
      const failing = await t.request({
        method: 'POST',
        url: `${base}/test?environment=DEV`,
        as: integrator,
      });
      expect(failing.statusCode).toBe(200);
      const failed = json<TestResult>(failing);
      expect(failed.ok).toBe(false);
      expect(failed.steps[0]).toMatchObject({ step: 'folder', status: 'failed' });
      expect(failed.steps[0].message).toContain('does not exist');

      await t.request({
        method: 'PUT',
        url: `${base}/environments/DEV`,
        payload: { values: { folder } },
        as: integrator,
      });
      const passing = json<TestResult>(
        await t.request({ method: 'POST', url: `${base}/test?environment=DEV`, as: integrator }),
      );
      expect(passing.ok).toBe(true);
      expect(passing.steps.every((s) => s.status === 'passed')).toBe(true);
      const last = json<{ lastTest: TestResult }>(
        await t.request({ method: 'GET', url: `${base}/test?environment=DEV`, as: viewer }),
      );
      expect(last.lastTest).toMatchObject({ ok: true, testedBy: integrator.id });
      const prod = json<{ lastTest: TestResult | null }>(
        await t.request({ method: 'GET', url: `${base}/test?environment=PROD`, as: viewer }),
      );
      expect(prod.lastTest).toBeNull();
    });
  });

  it('no plaintext secret is stored in any table (asset_versions and audit_log included)', async () => {
    const { rows: tables } = await t.db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const hits: string[] = [];
    for (const { table_name } of tables) {
      const { rows } = await t.db.pool.query<{ row: string }>(
        `SELECT t::text AS row FROM "${table_name}" t`,
      );
      for (const secret of Object.values(SECRETS))
        if (rows.some((r) => r.row.includes(secret))) hits.push(`${table_name}: ${secret}`);
    }
    expect(hits).toEqual([]);
    expect(
      await t.db.count(`SELECT count(*)::int AS n FROM adapter_secrets`),
    ).toBeGreaterThanOrEqual(4);
  });
});
