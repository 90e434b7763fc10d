import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import pino from 'pino';

import { DEMO_FLOW_NAME, demoFolders } from '../src/demo/demo-flow';
import { DEMO_PACKAGE_NAME, DemoSeeder } from '../src/demo/demo-seeder';
import { json, startTestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

describe('demo package seeding', () => {
  let db: TestDatabase;
  const dataDir = mkdtempSync(join(tmpdir(), 'integrixs-demo-'));

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const boot = () => startTestApp({ databaseUrl: db.url, config: { seedDemo: true, dataDir } });

  it('seeds the UBL 2.1 demo package and its flow (READY, deployed in DEV) once, and a deleted demo stays deleted', async () => {
    // Two instances starting together seed it once.
    const [first, second] = await Promise.all([boot(), boot()]);
    // The instance that seeded finishes the demo flow once it listens (its HTTP target is itself).
    await Promise.all([first.listen(), second.listen()]);
    const activated = await Promise.all(
      [first, second].map((t) => t.app.get(DemoSeeder).activated),
    );
    expect(activated.sort()).toEqual([false, true]);
    const page = json<{
      items: { id: string; name: string; assetCounts: Record<string, number> }[];
    }>(await first.request({ method: 'GET', url: '/api/packages' }));
    expect(page.items).toHaveLength(1);
    const demo = page.items[0];
    expect(demo).toMatchObject({
      name: DEMO_PACKAGE_NAME,
      assetCounts: { SCHEMA: 3, MAPPING: 1, ADAPTER: 2, FLOW: 1 },
    });

    const invoice = json<{ items: { id: string; name: string }[] }>(
      await first.request({
        method: 'GET',
        url: `/api/packages/${demo.id}/container/schemas?q=ubl%20invoice`,
      }),
    ).items[0];
    const detail = json<{ name: string; content: { main: string; files: { path: string }[] } }>(
      await first.request({ method: 'GET', url: `/api/packages/${demo.id}/schemas/${invoice.id}` }),
    );
    expect(detail.name).toBe('UBL Invoice 2.1');
    expect(detail.content.main).toBe('maindoc/UBL-Invoice-2.1.xsd');
    expect(detail.content.files).toHaveLength(16);
    const example = readFileSync(
      join(__dirname, '../src/demo/data/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml'),
      'utf8',
    );
    const validated = await first.request({
      method: 'POST',
      url: `/api/packages/${demo.id}/schemas/${invoice.id}/validate`,
      headers: { 'content-type': 'application/xml' },
      payload: example,
    });
    expect(json(validated)).toEqual({ version: 1, valid: true, errors: [] });

    // The UBL Invoice → invoice summary mapping passes its sample (the OASIS example).
    const mapping = json<{ items: { id: string }[] }>(
      await first.request({ method: 'GET', url: `/api/packages/${demo.id}/container/mappings` }),
    ).items[0];
    const run = json<{ total: number; passed: number; results: { diff: unknown[] }[] }>(
      await first.request({
        method: 'POST',
        url: `/api/packages/${demo.id}/mappings/${mapping.id}/test-all`,
        payload: {},
      }),
    );
    expect(run).toMatchObject({ total: 1, passed: 1, results: [{ diff: [] }] });

    // The demo flow: FILE inbox → validate (UBL Invoice) → map → HTTP target, READY, deployed in DEV.
    const flowRow = json<{ items: { id: string; name: string }[] }>(
      await first.request({ method: 'GET', url: `/api/packages/${demo.id}/container/flows` }),
    ).items[0];
    expect(flowRow?.name).toBe(DEMO_FLOW_NAME);
    const flowId = flowRow?.id ?? '';
    const flow = json<{
      status: string;
      valid: boolean;
      problems: unknown[];
      nodes: { id: string; kind: string; trigger?: unknown; schema?: { root: string } }[];
      edges: { from: string; to: string }[];
    }>(await first.request({ method: 'GET', url: `/api/packages/${demo.id}/flows/${flowId}` }));
    expect(flow).toMatchObject({ status: 'READY', valid: true, problems: [] });
    expect(flow.edges.map((e) => `${e.from}→${e.to}`)).toEqual([
      'inbox→validate',
      'validate→summarise',
      'summarise→deliver',
    ]);
    expect(flow.nodes.find((n) => n.kind === 'source')?.trigger).toEqual({
      type: 'poll',
      intervalSeconds: 30,
    });
    expect(flow.nodes.find((n) => n.kind === 'validate')?.schema?.root).toBe('Invoice');
    expect(existsSync(demoFolders(dataDir).inbox)).toBe(true);

    const deployments = json<{
      items: {
        id: string;
        environment: string;
        state: string;
        active: boolean;
        createdBy: string;
        pins: { type: string; assetId: string; version: number }[];
      }[];
    }>(
      await first.request({
        method: 'GET',
        url: `/api/packages/${demo.id}/flows/${flowId}/deployments`,
      }),
    ).items;
    expect(deployments).toHaveLength(1);
    const deployment = deployments[0];
    expect(deployment).toMatchObject({
      environment: 'DEV',
      state: 'DEPLOYED',
      active: true,
      createdBy: 'system',
    });
    // Pinned: the flow, both adapters, the mapping and the schemas it uses, each at version 1.
    const pinned = (deployment?.pins ?? []).map((p) => p.type).sort();
    expect(pinned).toEqual(['ADAPTER', 'ADAPTER', 'FLOW', 'MAPPING', 'SCHEMA', 'SCHEMA']);
    expect(deployment?.pins.map((p) => p.assetId)).toEqual(
      expect.arrayContaining([flowId, invoice.id, mapping.id]),
    );
    expect(deployment?.pins.every((p) => p.version === 1)).toBe(true);
    const active = json<{ items: { flowId: string; environment: string; state: string }[] }>(
      await first.request({
        method: 'GET',
        url: `/api/packages/${demo.id}/container/flows/active`,
      }),
    ).items;
    expect(active).toEqual([
      expect.objectContaining({ flowId, environment: 'DEV', state: 'DEPLOYED' }),
    ]);

    // A deployed flow is undeployed before its package can go.
    expect(
      (
        await first.request({
          method: 'POST',
          url: `/api/packages/${demo.id}/flows/${flowId}/deployments/${deployment?.id}/undeploy`,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await first.request({ method: 'DELETE', url: `/api/packages/${demo.id}` })).statusCode,
    ).toBe(204);
    await Promise.all([first.close(), second.close()]);

    const third = await boot();
    expect(
      json<{ total: number }>(await third.request({ method: 'GET', url: '/api/packages' })).total,
    ).toBe(0);
    await third.close();
  }, 60_000);

  it('leaves the demo flow a valid DRAFT with a log line saying why when a connection test cannot pass', async () => {
    const other = await createTestDatabase();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    // Loopback denied: the HTTP target (this server) cannot be tested, the start goes on.
    const t = await startTestApp({
      databaseUrl: other.url,
      config: { seedDemo: true, dataDir, outboundAllowLoopback: false },
      logger: pino({ level: 'info' }, sink),
    });
    try {
      await t.listen();
      expect(await t.app.get(DemoSeeder).activated).toBe(false);
      const warning = lines
        .map((l) => String((JSON.parse(l) as { msg?: unknown }).msg))
        .find((msg) => msg.includes(`demo flow "${DEMO_FLOW_NAME}" left in DRAFT`));
      expect(warning).toMatch(/connection test of the adapter ".*" failed in DEV/);
      expect(warning).toContain('finish it by hand');
      const pkg = json<{ items: { id: string }[] }>(
        await t.request({ method: 'GET', url: '/api/packages' }),
      ).items[0];
      const flow = json<{ items: { id: string; status: string }[] }>(
        await t.request({ method: 'GET', url: `/api/packages/${pkg?.id}/container/flows` }),
      ).items[0];
      expect(flow?.status).toBe('DRAFT');
      const validation = json<{ valid: boolean }>(
        await t.request({
          method: 'GET',
          url: `/api/packages/${pkg?.id}/flows/${flow?.id}/validation`,
        }),
      );
      expect(validation.valid).toBe(true);
      expect(
        json<{ items: unknown[] }>(
          await t.request({
            method: 'GET',
            url: `/api/packages/${pkg?.id}/container/flows/active`,
          }),
        ).items,
      ).toEqual([]);
    } finally {
      await t.close();
      await other.drop();
    }
  }, 60_000);
});
