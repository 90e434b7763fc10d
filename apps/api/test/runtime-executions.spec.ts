import { createPackage, problemOf } from './support/access-fixtures';
import { removeFolders, type ReadyKit } from './support/readiness';
import { deployedFlow, seedMessage, sendInbound } from './support/runtime';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Execution {
  id: string;
  flowId: string;
  environment: string;
  trigger: string;
  status: string;
  sourceRef: string | null;
  receivedAt: string;
  durationMs: number | null;
}

interface ExecutionPage {
  items: Execution[];
  total: number;
  totalIsEstimate: boolean;
  nextCursor: string | null;
}

interface Detail extends Execution {
  steps: { nodeId: string; kind: string; status: string; attempt: number; durationMs: number }[];
  input: { contentType: string; sizeBytes: number } | null;
  deadLetter: { id: string; status: string; nodeId: string } | null;
  replays: string[];
}

interface HealthWindow {
  window: string;
  messages: number;
  succeeded: number;
  failed: number;
  retrying: number;
  inFlight: number;
  throughputPerMinute: number;
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

/**
 * Executions (the message records the worker writes), their traces and payloads, and flow
 * health, read through the API from rows written as the worker would have left them.
 */
describe('runtime: executions, traces and flow health', () => {
  let t: TestApp;
  let pkg: string;
  let flowId: string;
  let kit: ReadyKit;
  let dev: string;
  let testEnv: string;
  let viewer: TestUser;
  let outsider: TestUser;
  const base = () => `/api/packages/${pkg}/executions`;
  const list = async (query: string, as?: TestUser) => {
    const response = await t.request({
      method: 'GET',
      url: `${base()}${query}`,
      ...(as ? { as } : {}),
    });
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    return json<ExecutionPage>(response);
  };

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Runtime executions');
    const other = await createPackage(t, 'Someone else');
    const flow = await deployedFlow(t, pkg, 'Exec', ['DEV', 'TEST']);
    flowId = flow.flowId;
    kit = flow.kit;
    dev = flow.deployments['DEV'].id;
    testEnv = flow.deployments['TEST'].id;
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    outsider = await t.createUser({ role: 'DEVELOPER', packages: { [other]: 'ADMINISTRATOR' } });
  });
  afterAll(async () => {
    await removeFolders([kit]);
    await t.close();
  });

  it('shows one execution with its steps in order, its input payload and its dead letter', async () => {
    const seeded = await seedMessage(t, {
      deploymentId: dev,
      status: 'DEAD_LETTERED',
      durationMs: 120,
      sourceRef: 'invoice-0001.xml',
      payload: '<Invoice><total>7</total></Invoice>',
      steps: [
        { nodeId: 'check', kind: 'validate', status: 'SUCCEEDED', durationMs: 3 },
        { nodeId: 'map', kind: 'map', status: 'SUCCEEDED', durationMs: 4, snapshot: '{"a":1}' },
        { nodeId: 'out', kind: 'target', status: 'FAILED', durationMs: 30, error: { code: 'E' } },
        { nodeId: 'out', kind: 'target', status: 'FAILED', attempt: 2, durationMs: 31 },
      ],
      deadLetter: { nodeId: 'out', input: '{"amount":7}' },
    });
    const response = await t.request({ method: 'GET', url: `${base()}/${seeded.messageId}` });
    expect(response.statusCode).toBe(200);
    const detail = json<Detail>(response);
    expect(detail).toMatchObject({
      id: seeded.messageId,
      flowId,
      environment: 'DEV',
      status: 'DEAD_LETTERED',
      sourceRef: 'invoice-0001.xml',
      durationMs: 120,
      input: { contentType: 'application/xml', sizeBytes: 35 },
      deadLetter: { id: seeded.deadLetterId, status: 'OPEN', nodeId: 'out' },
      replays: [],
    });
    expect(detail.steps.map((s) => [s.nodeId, s.kind, s.status, s.attempt])).toEqual([
      ['check', 'validate', 'SUCCEEDED', 1],
      ['map', 'map', 'SUCCEEDED', 1],
      ['out', 'target', 'FAILED', 1],
      ['out', 'target', 'FAILED', 2],
    ]);
    expect(detail.steps[1]).toMatchObject({ snapshot: '{"a":1}', detail: { engine: 'test' } });
    expect(detail.steps[2]).toMatchObject({ error: { code: 'E' }, durationMs: 30 });

    const payload = await t.request({
      method: 'GET',
      url: `${base()}/${seeded.messageId}/payload`,
      as: viewer,
    });
    expect(payload.statusCode).toBe(200);
    expect(payload.headers['content-type']).toBe('application/xml');
    expect(payload.headers['content-disposition']).toContain('attachment');
    expect(payload.body).toBe('<Invoice><total>7</total></Invoice>');
    const preview = await t.request({
      method: 'GET',
      url: `${base()}/${seeded.messageId}/payload?maxBytes=9`,
    });
    expect(preview.body).toBe('<Invoice>');
    expect(preview.headers['x-payload-size']).toBe('35');
  });

  it('answers 404 for a message of another package, and hides the package from non-members', async () => {
    const mine = await seedMessage(t, { deploymentId: dev, status: 'SUCCEEDED', durationMs: 5 });
    const elsewhere = await createPackage(t, 'Third package');
    const wrongPackage = await t.request({
      method: 'GET',
      url: `/api/packages/${elsewhere}/executions/${mine.messageId}`,
    });
    expect(wrongPackage.statusCode).toBe(404);
    expect(problemOf(wrongPackage).detail).toBe(`Execution ${mine.messageId} does not exist`);
    for (const url of [
      base(),
      `${base()}/${mine.messageId}`,
      `${base()}/${mine.messageId}/payload`,
      `/api/packages/${pkg}/dead-letters`,
      `/api/packages/${pkg}/flows/${flowId}/health?environment=DEV`,
    ]) {
      const response = await t.request({ method: 'GET', url, as: outsider });
      expect([url, response.statusCode]).toEqual([url, 404]);
      expect(problemOf(response).detail).toBe(`Package ${pkg} does not exist`);
    }
  });

  it('filters executions by flow, environment, status, trigger, time and q, and pages by keyset', async () => {
    const fresh = await createPackage(t, 'Runtime filters');
    const flow = await deployedFlow(t, fresh, 'Filters', ['DEV', 'TEST']);
    try {
      const d = flow.deployments['DEV'].id;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++)
        ids.push(
          (
            await seedMessage(t, {
              deploymentId: d,
              status: i % 2 === 0 ? 'SUCCEEDED' : 'RETRYING',
              ageSeconds: 100 - i,
              sourceRef: `batch-${i}.xml`,
              trigger: i === 6 ? 'MANUAL' : 'POLL',
            })
          ).messageId,
        );
      const inTest = await seedMessage(t, {
        deploymentId: flow.deployments['TEST'].id,
        status: 'SUCCEEDED',
        ageSeconds: 5000,
      });
      const url = `/api/packages/${fresh}/executions`;
      const get = async (query: string) =>
        json<ExecutionPage>(await t.request({ method: 'GET', url: `${url}${query}` }));

      const all = await get('');
      expect(all.total).toBe(8);
      expect(all.items.map((i) => i.id)).toEqual([...ids].reverse().concat(inTest.messageId));
      expect((await get('?environment=test')).items.map((i) => i.id)).toEqual([inTest.messageId]);
      expect((await get('?status=RETRYING')).items).toHaveLength(3);
      expect((await get('?trigger=MANUAL')).items.map((i) => i.id)).toEqual([ids[6]]);
      expect((await get(`?flowId=${flow.flowId}&q=batch-3`)).items.map((i) => i.id)).toEqual([
        ids[3],
      ]);
      expect((await get(`?q=${ids[2]}`)).items.map((i) => i.id)).toEqual([ids[2]]);
      expect((await get('?q=batch_')).items).toHaveLength(0);
      const old = new Date(Date.now() - 3000 * 1000).toISOString();
      expect((await get(`?to=${old}`)).items.map((i) => i.id)).toEqual([inTest.messageId]);
      expect((await get(`?from=${old}`)).total).toBe(7);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await get(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(3);
        expect(page.total).toBe(8);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.items.map((i) => i.id));

      const bad = await t.request({ method: 'GET', url: `${url}?status=LOST&limit=201` });
      expect(bad.statusCode).toBe(400);
      expect(
        problemOf(bad)
          .errors.map((e) => e.path)
          .sort(),
      ).toEqual(['limit', 'status']);
      const forged = await t.request({ method: 'GET', url: `${url}?cursor=abc` });
      expect(problemOf(forged).errors[0].path).toBe('cursor');
    } finally {
      await removeFolders([flow.kit]);
    }
  });

  it('lists messages sent through the inbound route as QUEUED HTTP executions', async () => {
    const sent = await sendInbound(t, flowId, 'DEV', '<x/>', { contentType: 'application/xml' });
    const id = json<{ messageId: string }>(sent).messageId;
    const page = await list(`?q=${id}`, viewer);
    expect(page.items).toMatchObject([{ id, trigger: 'HTTP', status: 'QUEUED' }]);
  });

  it('computes flow health per window from the messages received in it', async () => {
    const health = async (environment: string) => {
      const response = await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/flows/${flowId}/health?environment=${environment}`,
        as: viewer,
      });
      expect(response.statusCode).toBe(200);
      return json<{ environment: string; windows: HealthWindow[] }>(response);
    };
    // In TEST only (DEV has the other tests' messages): 2 min, 30 min and 10 h old.
    const seed = (status: string, ageSeconds: number, durationMs: number | null) =>
      seedMessage(t, { deploymentId: testEnv, status, ageSeconds, durationMs });
    for (const ms of [10, 20, 30, 40]) await seed('SUCCEEDED', 120, ms);
    await seed('DEAD_LETTERED', 120, 100);
    await seed('RETRYING', 120, null);
    await seed('QUEUED', 60, null);
    await seed('SUCCEEDED', 1800, 1000);
    await seed('DEAD_LETTERED', 36_000, 5000);
    await seed('SUCCEEDED', 100_000, 1);
    // percentile_cont interpolates: p95 of 10, 20, 30, 40, 100 is 40 + 0.8 × 60 = 88.
    const { environment, windows } = await health('test');
    expect(environment).toBe('TEST');
    expect(windows).toEqual([
      {
        window: '5m',
        messages: 7,
        succeeded: 4,
        failed: 1,
        retrying: 1,
        inFlight: 1,
        throughputPerMinute: 1.4,
        errorRate: 0.2,
        p50Ms: 30,
        p95Ms: 88,
      },
      {
        window: '1h',
        messages: 8,
        succeeded: 5,
        failed: 1,
        retrying: 1,
        inFlight: 1,
        throughputPerMinute: 0.133,
        errorRate: 0.1667,
        p50Ms: 35,
        p95Ms: 775,
      },
      {
        window: '24h',
        messages: 9,
        succeeded: 5,
        failed: 2,
        retrying: 1,
        inFlight: 1,
        throughputPerMinute: 0.006,
        errorRate: 0.2857,
        p50Ms: 40,
        p95Ms: 3800,
      },
    ]);
    const missing = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/flows/${flowId}/health`,
    });
    expect(missing.statusCode).toBe(400);
    expect(problemOf(missing).errors[0].path).toBe('environment');
    const unknown = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/flows/${flowId}/health?environment=NOWHERE`,
    });
    expect(problemOf(unknown).errors[0].path).toBe('environment');
  });
});
