import { bearer, createApiToken, createPackage } from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Environment {
  id: string;
  code: string;
  name: string;
  protected: boolean;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; message: string; code: string }[];
  adapters?: { id: string; packageId: string; name: string }[];
}
interface AuditRow {
  action: string;
  actor: string;
  changes: Record<string, { before?: unknown; after?: unknown }>;
}

const BASE_PASSWORD = 'environments-spec-base-Pw-7a31';
const EDGE_PASSWORD = 'environments-spec-edge-Pw-c0d4';

/** Renaming, protecting and deleting environments (administrators only, audited). */
describe('environments: rename, protect and delete', () => {
  let t: TestApp;
  let pkg: string;
  let developer: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Environment users');
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
  });
  afterAll(() => t.close());

  const addEnvironment = async (code: string, name = `${code} environment`) => {
    const response = await t.request({
      method: 'POST',
      url: '/api/environments',
      payload: { code, name },
    });
    expect(response.statusCode).toBe(201);
    return json<Environment>(response);
  };
  const list = async () =>
    json<Environment[]>(await t.request({ method: 'GET', url: '/api/environments' }));
  const auditOf = async (id: string) =>
    (
      await t.db.pool.query<AuditRow>(
        `SELECT action, actor, changes FROM audit_log
          WHERE entity_type = 'environment' AND entity_id = $1 ORDER BY occurred_at, id`,
        [id],
      )
    ).rows;
  const patch = (code: string, payload: Record<string, unknown>, as?: TestUser) =>
    t.request({
      method: 'PATCH',
      url: `/api/environments/${code}`,
      payload,
      ...(as ? { as } : {}),
    });
  const remove = (code: string, as?: TestUser) =>
    t.request({ method: 'DELETE', url: `/api/environments/${code}`, ...(as ? { as } : {}) });
  const fileAdapter = async (packageId: string, name: string) => {
    const response = await t.request({
      method: 'POST',
      url: `/api/packages/${packageId}/adapters`,
      payload: { name, adapterType: 'FILE', direction: 'SOURCE', configuration: { folder: '/in' } },
    });
    expect(response.statusCode).toBe(201);
    return `/api/packages/${packageId}/adapters/${json<{ id: string }>(response).id}`;
  };

  it('renames an environment for administrators only, and audits the change', async () => {
    const uat = await addEnvironment('UAT', 'User acceptance');
    expect((await patch('UAT', { name: 'Acceptance' }, developer)).statusCode).toBe(403);
    const renamed = await patch('UAT', { name: '  Acceptance  ' });
    expect(renamed.statusCode).toBe(200);
    expect(json<Environment>(renamed)).toEqual({ ...uat, name: 'Acceptance' });
    expect((await list()).find((e) => e.code === 'UAT')?.name).toBe('Acceptance');
    const rows = await auditOf(uat.id);
    expect(rows.map((r) => r.action)).toEqual(['CREATE', 'UPDATE']);
    expect(rows[1].changes).toEqual({ name: { before: 'User acceptance', after: 'Acceptance' } });
    expect(rows[1].actor).toBe(t.admin.id);
  });

  it('refuses a rename naming what is wrong: empty body, empty name, bad or unknown code', async () => {
    const empty = await patch('UAT', {});
    expect(empty.statusCode).toBe(400);
    expect(json<Problem>(empty).errors.map((e) => e.path)).toEqual(['name']);
    const blank = await patch('UAT', { name: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(json<Problem>(blank).errors.map((e) => e.path)).toEqual(['name']);
    const lower = await patch('uat', { name: 'x' });
    expect(lower.statusCode).toBe(400);
    expect(json<Problem>(lower).errors.map((e) => e.path)).toEqual(['code']);
    const unknown = await patch('NOPE', { name: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(json<Problem>(unknown).detail).toContain('NOPE');
  });

  it('keeps a protected environment (PROD) until it is unprotected', async () => {
    const refused = await remove('PROD');
    expect(refused.statusCode).toBe(409);
    expect(json<Problem>(refused).detail).toMatch(/PROD is protected/);
    expect(json<Problem>(refused).errors.map((e) => e.path)).toEqual(['protected']);
    expect((await list()).map((e) => e.code)).toContain('PROD');

    const qa = await addEnvironment('QA');
    const protectedQa = await patch('QA', { protected: true });
    expect(json<Environment>(protectedQa).protected).toBe(true);
    expect((await remove('QA')).statusCode).toBe(409);
    expect(json<Environment>(await patch('QA', { protected: false })).protected).toBe(false);
    expect((await remove('QA')).statusCode).toBe(204);
    expect((await auditOf(qa.id)).map((r) => r.action)).toEqual([
      'CREATE',
      'UPDATE',
      'UPDATE',
      'DELETE',
    ]);
  });

  it('refuses to delete an environment adapters use, naming them; deletes it once unused', async () => {
    const staging = await addEnvironment('STAGING');
    const adapterUrl = await fileAdapter(pkg, 'Staging drop folder');
    const overlay = await t.request({
      method: 'PUT',
      url: `${adapterUrl}/environments/STAGING`,
      payload: { values: { folder: '/staging/in' } },
    });
    expect(overlay.statusCode).toBe(200);

    expect((await remove('STAGING', developer)).statusCode).toBe(403);
    const refused = await remove('STAGING');
    expect(refused.statusCode).toBe(409);
    const problem = json<Problem>(refused);
    expect(problem.code).toBe('state_conflict');
    expect(problem.detail).toContain('1 adapter you can read uses it ("Staging drop folder")');
    expect(problem.adapters).toEqual([
      { id: adapterUrl.split('/').pop(), packageId: pkg, name: 'Staging drop folder' },
    ]);
    expect((await list()).map((e) => e.code)).toContain('STAGING');

    // Once the adapter is deleted (to the trash), nothing holds the environment any more.
    expect((await t.request({ method: 'DELETE', url: adapterUrl })).statusCode).toBe(204);
    expect((await remove('STAGING')).statusCode).toBe(204);
    expect((await list()).map((e) => e.code)).not.toContain('STAGING');
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM adapter_environment_overlays WHERE environment_id = $1`,
        [staging.id],
      ),
    ).toBe(0);
    const rows = await auditOf(staging.id);
    expect(rows.map((r) => r.action)).toEqual(['CREATE', 'DELETE']);
    expect(rows[1].changes).toMatchObject({ code: { before: 'STAGING' } });
    expect((await remove('STAGING')).statusCode).toBe(404);
  });

  it('frees an environment by removing one adapter from it: overlay, its secrets, test result', async () => {
    const edge = await addEnvironment('EDGE');
    const created = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/adapters`,
      payload: {
        name: 'Edge SFTP',
        adapterType: 'SFTP',
        direction: 'TARGET',
        configuration: {
          host: 'sftp.example.com',
          username: 'erp',
          password: BASE_PASSWORD,
          hostKeyFingerprint: 'SHA256:' + 'A'.repeat(43),
          remoteFolder: '/out',
        },
      },
    });
    expect(created.statusCode).toBe(201);
    const adapterId = json<{ id: string }>(created).id;
    const adapterUrl = `/api/packages/${pkg}/adapters/${adapterId}`;
    await t.request({
      method: 'PUT',
      url: `${adapterUrl}/environments/EDGE`,
      payload: { values: { host: '127.0.0.1', port: 1 } }, // refused at once
    });
    const credentials = await t.request({
      method: 'POST',
      url: `${adapterUrl}/credentials`,
      payload: { environment: 'EDGE', secrets: { '/password': EDGE_PASSWORD } },
    });
    expect(credentials.statusCode).toBe(200);
    const tested = await t.request({ method: 'POST', url: `${adapterUrl}/test?environment=EDGE` });
    expect(json<{ ok: boolean }>(tested).ok).toBe(false);
    expect((await remove('EDGE')).statusCode).toBe(409);

    const reset = (as?: TestUser) =>
      t.request({
        method: 'DELETE',
        url: `${adapterUrl}/environments/EDGE`,
        ...(as ? { as } : {}),
      });
    expect((await reset(developer)).statusCode).toBe(403);
    expect((await reset()).statusCode).toBe(204);
    const left = (table: string, where: string) =>
      t.db.count(`SELECT count(*)::int AS n FROM ${table} WHERE asset_id = $1 AND ${where}`, [
        adapterId,
      ]);
    expect(await left('adapter_environment_overlays', `environment_id = '${edge.id}'`)).toBe(0);
    expect(await left('adapter_secrets', `environment_id = '${edge.id}'`)).toBe(0);
    expect(await left('adapter_secrets', 'environment_id IS NULL')).toBe(1); // the base password
    expect(await left('adapter_connection_tests', `environment_id = '${edge.id}'`)).toBe(0);
    const [audit] = (
      await t.db.pool.query<AuditRow>(
        `SELECT action, actor, changes FROM audit_log
          WHERE entity_type = 'adapter_environment' AND entity_id = $1`,
        [adapterId],
      )
    ).rows;
    expect(audit.changes).toEqual({
      environment: { before: 'EDGE' },
      overlay: { before: { host: '127.0.0.1', port: 1 } },
      pointers: { before: ['/password'] }, // the secrets removed, by pointer
      connectionTest: { before: { ok: false } },
    });
    expect(JSON.stringify(audit)).not.toContain(EDGE_PASSWORD);

    expect((await remove('EDGE')).statusCode).toBe(204);
    expect((await reset()).statusCode).toBe(404);
  });

  it('counts a kept connection test result as use, and names no adapter the caller cannot read', async () => {
    await addEnvironment('PERF');
    const hiddenPkg = await createPackage(t, 'Hidden adapters');
    const adapterUrl = await fileAdapter(hiddenPkg, 'Secret hidden adapter');
    // A connection test result kept for PERF is enough to hold it.
    const tested = await t.request({ method: 'POST', url: `${adapterUrl}/test?environment=PERF` });
    expect(tested.statusCode).toBe(200);

    const visiblePkg = await createPackage(t, 'Visible only');
    const token = await createApiToken(t, t.admin, {
      name: 'Environment admin for one package',
      permissions: ['environment:manage', 'environment:read'],
      packageIds: [visiblePkg],
    });
    const refused = await remove('PERF', bearer(t.admin, token.token));
    expect(refused.statusCode).toBe(409);
    const problem = json<Problem>(refused);
    expect(problem.adapters).toEqual([]);
    expect(problem.detail).toContain('adapters in packages you cannot read use it');
    expect(refused.body).not.toContain('Secret hidden adapter');
    expect(refused.body).not.toContain(hiddenPkg);

    // The full administrator sees and is told about it.
    expect(json<Problem>(await remove('PERF')).detail).toContain('"Secret hidden adapter"');
  });

  it('never deletes the last environment', async () => {
    for (const env of await list()) {
      if (env.protected) await patch(env.code, { protected: false });
    }
    const remaining = (await list()).map((e) => e.code);
    // PERF stays in use; every other one goes until one is left.
    for (const code of remaining.filter((c) => c !== 'PERF'))
      expect((await remove(code)).statusCode).toBe(204);
    expect((await list()).map((e) => e.code)).toEqual(['PERF']);
    await t.db.pool.query(`DELETE FROM adapter_connection_tests`);
    const last = await remove('PERF');
    expect(last.statusCode).toBe(409);
    expect(json<Problem>(last).detail).toBe(
      'environment PERF is the last one and cannot be deleted',
    );
  });
});
