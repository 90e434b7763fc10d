import { rm } from 'node:fs/promises';

import { DataSource } from 'typeorm';

import { createPackage, withSession, withStaleMfa } from './support/access-fixtures';
import { createFlow } from './support/flows';
import {
  connectionTest,
  createReadyKit,
  failing,
  readiness,
  removeFolders,
  setOverlay,
  type ReadinessView,
  type ReadyKit,
} from './support/readiness';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * The readiness gate (issue 12): the checklist of a flow for one environment, each failing item
 * naming what is wrong and the asset to fix (never one the caller cannot read); the same checker
 * gates the READY transition; a long check streams as server-sent events.
 */
describe('flow readiness gate', () => {
  let t: TestApp;
  let pkg: string;
  let hiddenPkg: string;
  let integrator: TestUser;
  const kits: ReadyKit[] = [];
  const kit = async (prefix: string, options?: Parameters<typeof createReadyKit>[3]) => {
    const made = await createReadyKit(t, pkg, prefix, options);
    kits.push(made);
    return made;
  };
  const put = async (segment: string, id: string, body: Record<string, unknown>) => {
    const current = json<{ version: number }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}/${segment}/${id}` }),
    );
    const response = await t.request({
      method: 'PUT',
      url: `/api/packages/${pkg}/${segment}/${id}`,
      payload: { ...body, version: current.version },
    });
    expect(response.statusCode).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp({ config: { readinessConnectionTestTimeoutSeconds: 10 } });
    pkg = await createPackage(t, 'Readiness');
    hiddenPkg = await createPackage(t, 'Hidden library');
    integrator = await t.createUser({
      role: 'INTEGRATOR',
      mfa: true,
      packages: { [pkg]: 'INTEGRATOR' },
    });
  }, 90_000);
  afterAll(async () => {
    await removeFolders(kits);
    await t.close();
  });

  const only = (r: ReadinessView) => failing(r).map((i) => i.key);

  it('passes in DEV when every check passes, listing each check with its asset', async () => {
    const k = await kit('Clean');
    const result = await readiness(t, k, 'DEV', integrator);
    expect(failing(result)).toEqual([]);
    expect(result).toMatchObject({ ready: true, environment: 'DEV', flowId: k.flow.id });
    expect(result.items.map((i) => [i.key, i.status, i.asset?.id ?? null])).toEqual([
      ['graph', 'pass', null],
      ['dependencies', 'pass', null],
      ['pinned-versions', 'pass', null],
      ['schema-compatibility', 'pass', null],
      ['adapter-configuration', 'pass', k.source],
      ['adapter-configuration', 'pass', k.target],
      ['connection-test', 'pass', k.source],
      ['connection-test', 'pass', k.target],
      ['mapping', 'pass', k.mapping],
      ['deploy-permission', 'pass', null],
    ]);
  }, 60_000);

  it('fails dependencies alone when an asset the flow uses through its mapping is archived', async () => {
    const k = await kit('Archived');
    await put('schemas', k.outSchema, { status: 'ARCHIVED' });
    const result = await readiness(t, k, 'DEV', integrator);
    expect(only(result)).toEqual(['dependencies']);
    const [item] = failing(result);
    expect(item.asset).toEqual({
      id: k.outSchema,
      packageId: pkg,
      type: 'SCHEMA',
      name: 'Archived out',
    });
    expect(item.explanation).toContain('archived');
    expect(item.fixHint).toContain('Restore schema "Archived out"');
  }, 60_000);

  it('never names an asset the caller cannot read', async () => {
    const k = await kit('Hidden');
    const secret = json<{ id: string }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${hiddenPkg}/adapters`,
        payload: {
          name: 'Secret partner SFTP',
          adapterType: 'FILE',
          direction: 'TARGET',
          configuration: { folder: k.folders[1] },
          schemas: { message: k.outSchema },
        },
      }),
    ).id;
    const flow = await createFlow(t, pkg, {
      name: 'Uses a hidden adapter',
      nodes: [
        ...k.flow.nodes.filter((n) => n['id'] !== 'out'),
        { id: 'out', kind: 'target', position: { x: 3, y: 0 }, adapter: { assetId: secret } },
      ],
      edges: k.flow.edges,
    });
    const result = await readiness(t, { packageId: pkg, flow }, 'DEV', integrator);
    expect(only(result)).toEqual(['dependencies']);
    const [item] = failing(result);
    expect(item).toMatchObject({ nodeId: 'out' });
    expect(item.asset).toBeUndefined();
    // Only the id the flow itself holds is repeated; the name and package are never revealed.
    expect(JSON.stringify(result)).not.toContain('Secret partner');
    expect(JSON.stringify(result)).not.toContain(hiddenPkg);
  }, 60_000);

  it('fails pinned versions alone when a step pins a version the schema lacks', async () => {
    const k = await kit('Pinned');
    const flow = await createFlow(t, pkg, {
      name: 'Pins version 9',
      nodes: k.flow.nodes.map((n) =>
        n['id'] === 'check' ? { ...n, schema: { assetId: k.inSchema, version: 9 } } : n,
      ),
      edges: k.flow.edges,
    });
    const result = await readiness(t, { packageId: pkg, flow }, 'DEV', integrator);
    expect(only(result)).toEqual(['pinned-versions']);
    const [item] = failing(result);
    expect(item).toMatchObject({ nodeId: 'check', asset: { id: k.inSchema, name: 'Pinned in' } });
    expect(item.explanation).toContain('version 9');
  }, 60_000);

  it('fails schema compatibility alone when a step expects another schema than it gets', async () => {
    const k = await kit('Misfit');
    const flow = await createFlow(t, pkg, {
      name: 'Validates the wrong schema',
      nodes: [
        ...k.flow.nodes.filter((n) => n['id'] !== 'map' && n['id'] !== 'check'),
        {
          id: 'check',
          kind: 'validate',
          position: { x: 1, y: 0 },
          schema: { assetId: k.outSchema },
        },
      ],
      edges: [
        { from: 'in', to: 'check' },
        { from: 'check', to: 'out' },
      ],
    });
    const result = await readiness(t, { packageId: pkg, flow }, 'DEV', integrator);
    expect(only(result)).toEqual(['schema-compatibility']);
    expect(failing(result)[0]).toMatchObject({
      nodeId: 'check',
      asset: { id: k.outSchema, type: 'SCHEMA' },
    });
  }, 60_000);

  it('fails adapter configuration alone when the environment lacks a value, and skips its test', async () => {
    const k = await kit('Unset');
    await setOverlay(t, k, k.source, 'DEV', { folder: null });
    const result = await readiness(t, k, 'DEV', integrator);
    expect(only(result)).toEqual(['adapter-configuration']);
    const [item] = failing(result);
    expect(item.asset).toMatchObject({ id: k.source, name: 'Unset source', type: 'ADAPTER' });
    expect(item.explanation).toContain('DEV folder is empty');
    expect(item.fixHint).toContain('DEV overlay');
    expect(
      result.items.find((i) => i.key === 'connection-test' && i.asset?.id === k.source),
    ).toMatchObject({ status: 'skipped' });
  }, 60_000);

  it('fails the connection test alone when the adapter was never tested in the environment', async () => {
    const k = await kit('Untested');
    await setOverlay(t, k, k.target, 'TEST', { folder: k.folders[1] });
    await setOverlay(t, k, k.source, 'TEST', { folder: k.folders[0] });
    expect(await connectionTest(t, k, k.source, 'TEST')).toBe(true);
    const result = await readiness(t, k, 'TEST', integrator);
    expect(only(result)).toEqual(['connection-test']);
    const [item] = failing(result);
    expect(item.asset).toMatchObject({ id: k.target, name: 'Untested target' });
    expect(item.explanation).toBe('adapter "Untested target" has never been tested in TEST');
    expect(item.fixHint).toContain('live=true');
  }, 60_000);

  it('fails the connection test when the last passing result is older than the allowed age', async () => {
    const k = await kit('Stale');
    await t.app.get(DataSource).query(
      `UPDATE adapter_connection_tests SET tested_at = now() - make_interval(mins => $2)
          WHERE asset_id = $1`,
      [k.source, t.config.readinessConnectionTestMaxAgeMinutes + 5],
    );
    const result = await readiness(t, k, 'DEV', integrator);
    expect(only(result)).toEqual(['connection-test']);
    expect(failing(result)[0].asset?.id).toBe(k.source);
    expect(failing(result)[0].explanation).toContain(
      `older than ${t.config.readinessConnectionTestMaxAgeMinutes} minutes`,
    );
  }, 60_000);

  it('runs the connection tests now with live=true and fails on what the test finds', async () => {
    const k = await kit('Live');
    expect(failing(await readiness(t, k, 'DEV', integrator, '&live=true'))).toEqual([]);
    await rm(k.folders[1], { recursive: true, force: true });
    // The recorded result still passes; the live test finds the folder gone.
    expect((await readiness(t, k, 'DEV', integrator)).ready).toBe(true);
    const result = await readiness(t, k, 'DEV', integrator, '&live=true');
    expect(only(result)).toEqual(['connection-test']);
    expect(failing(result)[0]).toMatchObject({ asset: { id: k.target } });
    expect(failing(result)[0].explanation).toContain('at step "folder"');
    // A DEVELOPER may not run connection tests: live=true keeps the recorded result for them.
    const developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
    const theirs = await readiness(t, k, 'DEV', developer, '&live=true');
    const test = theirs.items.find((i) => i.key === 'connection-test' && i.asset?.id === k.target);
    expect(test?.status).toBe('fail'); // the live run above was kept as the last result
    expect(test?.explanation).toContain('you may not run connection tests in its package');
  }, 60_000);

  it('fails the mapping alone when a sample test fails, naming the sample and why', async () => {
    const k = await kit('Wrong sample');
    await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/mappings/${k.mapping}/samples`,
      payload: { name: 'Ten', input: '{"total": 10}', expectedOutput: '{"amount": 11}' },
    });
    const result = await readiness(t, k, 'DEV', integrator);
    expect(only(result)).toEqual(['mapping']);
    const [item] = failing(result);
    expect(item.asset).toMatchObject({ id: k.mapping, name: 'Wrong sample mapping' });
    expect(item.explanation).toContain('1 of 2 sample test(s)');
    expect(item.explanation).toContain(
      '"Ten": the output differs from the expected one at /amount',
    );
  }, 60_000);

  it('fails the mapping alone when a required target field is not mapped', async () => {
    const k = await kit('Incomplete', { rules: [] });
    const result = await readiness(t, k, 'DEV', integrator);
    expect(only(result)).toEqual(['mapping']);
    expect(failing(result)[0].explanation).toContain('required target fields unmapped: /amount');
  }, 60_000);

  describe('who may deploy to the protected PROD', () => {
    let k: ReadyKit;
    const permission = (r: ReadinessView) => r.items.find((i) => i.key === 'deploy-permission');
    beforeAll(async () => {
      k = await kit('Prod');
    }, 60_000);

    it('refuses a VIEWER and a DEVELOPER of the package', async () => {
      for (const role of ['VIEWER', 'DEVELOPER'] as const) {
        const user = await t.createUser({ role, packages: { [pkg]: role } });
        const item = permission(await readiness(t, k, 'PROD', user));
        expect(item).toMatchObject({ status: 'fail' });
        expect(item?.explanation).toContain('INTEGRATOR or ADMINISTRATOR');
      }
    });

    it('refuses an INTEGRATOR without a recent MFA confirmation, allows one with it', async () => {
      const stale = permission(await readiness(t, k, 'PROD', await withStaleMfa(t, integrator)));
      expect(stale).toMatchObject({ status: 'fail' });
      expect(stale?.fixHint).toContain('/api/auth/mfa/verify');
      const fresh = await withSession(t, integrator, new Date());
      expect(permission(await readiness(t, k, 'PROD', fresh))).toMatchObject({ status: 'pass' });
      // DEV is not protected: the role suffices there.
      expect(
        permission(await readiness(t, k, 'DEV', await withStaleMfa(t, integrator))),
      ).toMatchObject({ status: 'pass' });
    });
  });

  it('streams one item event per check, then the result (Accept: text/event-stream)', async () => {
    const k = await kit('Streamed');
    const base = await t.listen();
    const response = await fetch(
      `${base}/api/packages/${pkg}/flows/${k.flow.id}/readiness?environment=DEV`,
      { headers: { authorization: `Bearer ${integrator.token}`, accept: 'text/event-stream' } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.trim())
      .map((block) => {
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}: `))
            ?.slice(name.length + 2) ?? '';
        return { event: field('event'), data: JSON.parse(field('data')) as unknown };
      });
    const result = events.at(-1);
    expect(result?.event).toBe('result');
    const items = events.slice(0, -1);
    expect(items.every((e) => e.event === 'item')).toBe(true);
    expect(items.map((e) => e.data)).toEqual((result?.data as ReadinessView).items);
    expect((result?.data as ReadinessView).ready).toBe(true);
  }, 60_000);

  it('answers 404 for an unknown environment and 400 for a malformed one, as problem+json', async () => {
    const k = kits[0];
    const get = (env: string) =>
      t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/flows/${k.flow.id}/readiness?environment=${env}`,
        headers: { accept: 'text/event-stream' },
      });
    expect((await get('NOWHERE')).statusCode).toBe(404);
    expect((await get('prod')).statusCode).toBe(400);
  });

  describe('the READY transition', () => {
    const transition = (k: ReadyKit, body: Record<string, unknown>, as?: TestUser) =>
      t.request({
        method: 'POST',
        url: `/api/packages/${pkg}/flows/${k.flow.id}/transitions`,
        payload: body,
        ...(as ? { as } : {}),
      });

    it('is refused while no environment passes, with each checked environment’s failures', async () => {
      const k = await kit('Gated');
      await t.app
        .get(DataSource)
        .query(`DELETE FROM adapter_connection_tests WHERE asset_id = $1`, [k.target]);
      const refused = await transition(k, { to: 'READY' });
      expect(refused.statusCode).toBe(409);
      const problem = json<{ code: string; readiness: ReadinessView[] }>(refused);
      expect(problem.code).toBe('flow_not_ready');
      expect(problem.readiness.map((r) => r.environment)).toEqual(['DEV', 'TEST', 'PROD']);
      expect(failing(problem.readiness[0]).map((i) => [i.key, i.asset?.id])).toEqual([
        ['connection-test', k.target],
      ]);
      expect(await connectionTest(t, k, k.target, 'DEV')).toBe(true);
      // Named environment: PROD has never been tested, so READY is refused there…
      expect((await transition(k, { to: 'READY', environment: 'PROD' })).statusCode).toBe(409);
      // …and allowed for DEV, by a DEVELOPER (who may not deploy: not part of READY).
      const developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
      const ready = await transition(k, { to: 'READY', environment: 'DEV' }, developer);
      expect(ready.statusCode).toBe(200);
      expect(json<{ status: string }>(ready).status).toBe('READY');
    }, 60_000);

    it('passes without an environment when any environment passes', async () => {
      const k = await kit('Any');
      const ready = await transition(k, { to: 'READY' });
      expect(ready.statusCode).toBe(200);
      expect(json<{ status: string }>(ready).status).toBe('READY');
    }, 60_000);
  });
});
