import { startRuntimeWorker, type RuntimeWorker } from '@integrixs/runtime';

import { createPackage } from './support/access-fixtures';
import { connectEvents, type EventClient, type LiveMessage } from './support/live-events';
import { removeFolders, type ReadyKit } from './support/readiness';
import { deployedFlow, seedMessage, sendInbound } from './support/runtime';
import { schemaDocument } from './support/schemas';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

type Counts = Record<string, number>;

/**
 * `execution.changed` live events (the runtime monitor's live lists): messages accepted by the
 * API and run by a worker are announced to the package's readers, coalesced per flow and
 * environment, and never to users who cannot read the package.
 */
describe('live events: execution.changed', () => {
  let t: TestApp;
  let baseUrl: string;
  let pkg: string;
  let otherPkg: string;
  let flowId: string;
  const kits: ReadyKit[] = [];
  let devDeployment: string;
  let devEnvironmentId: string;
  let reader: TestUser;
  let outsider: TestUser;
  const clients: EventClient[] = [];
  let worker: RuntimeWorker | undefined;
  /** The flow whose events the counts below look at. */
  let watched: string;

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.listen();
    pkg = await createPackage(t, 'Live executions');
    otherPkg = await createPackage(t, 'Live elsewhere');
    const flow = await deployedFlow(t, pkg, 'LiveExec', ['DEV']);
    flowId = flow.flowId;
    watched = flowId;
    kits.push(flow.kit);
    devDeployment = flow.deployments['DEV'].id;
    const [env] = await t.db.pool
      .query<{ id: string }>(`SELECT environment_id AS id FROM flow_deployments WHERE id = $1`, [
        devDeployment,
      ])
      .then((r) => r.rows);
    devEnvironmentId = env.id;
    reader = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    outsider = await t.createUser({ role: 'VIEWER', packages: { [otherPkg]: 'VIEWER' } });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await worker?.stop();
    await removeFolders(kits);
    await t.close();
  });

  async function connect(user: TestUser) {
    const client = await connectEvents(baseUrl, user);
    clients.push(client);
    return client;
  }

  const ofFlow = (m: LiveMessage) => m.type === 'execution.changed' && m['flowId'] === watched;
  const countsOf = (client: EventClient, from: number) =>
    client.messages
      .slice(from)
      .filter(ofFlow)
      .reduce<Counts>((sum, m) => {
        for (const [status, n] of Object.entries(m['counts'] as Counts))
          sum[status] = (sum[status] ?? 0) + n;
        return sum;
      }, {});

  /** Waits until the flow's events since `from` counted `status` at least `n` times. */
  async function untilCounted(client: EventClient, from: number, status: string, n: number) {
    while ((countsOf(client, from)[status] ?? 0) < n)
      await client.next((m) => ofFlow(m) && client.messages.indexOf(m) >= from, 20_000);
  }

  async function send(body: string) {
    const response = await sendInbound(t, flowId, 'DEV', body, { contentType: 'application/xml' });
    if (response.statusCode !== 202) throw new Error(`${response.statusCode} ${response.body}`);
  }

  it('tells a reader of the package that a flow received a message, and an outsider nothing', async () => {
    const member = await connect(reader);
    const stranger = await connect(outsider);
    await send('<Invoice><total>1</total></Invoice>');
    const changed = await member.next(ofFlow);
    expect(changed).toEqual({
      type: 'execution.changed',
      packageId: pkg,
      flowId,
      environmentId: devEnvironmentId,
      statuses: ['QUEUED'],
      counts: { QUEUED: 1 },
      seq: changed.seq,
    });
    // Delivered in order: once the outsider's own package event arrives, the other would have too.
    const schema = await t.request({
      method: 'POST',
      url: `/api/packages/${otherPkg}/schemas`,
      payload: schemaDocument('Marker'),
    });
    expect(schema.statusCode).toBe(201);
    await stranger.next((m) => m.type === 'asset.created' && m.packageId === otherPkg);
    expect(stranger.messages.filter((m) => m.packageId === pkg)).toEqual([]);
  });

  it('coalesces a burst of messages into a few notifications that count every one', async () => {
    const member = await connect(reader);
    const from = member.messages.length;
    const burst = 50;
    for (let batch = 0; batch < burst / 10; batch++)
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => send(`<Invoice><n>${batch * 10 + i}</n></Invoice>`)),
      );
    await untilCounted(member, from, 'QUEUED', burst);
    const events = member.messages.slice(from).filter(ofFlow);
    expect(countsOf(member, from)).toEqual({ QUEUED: burst });
    // One per flush interval (500 ms) at most, not one per message.
    expect(events.length).toBeLessThanOrEqual(burst / 5);
  });

  it('announces the statuses the worker moves messages through', async () => {
    const member = await connect(reader);
    const from = member.messages.length;
    // An in-process worker (not apps/worker's test kit: the API's tests must not import the
    // worker app, whose tests import the API's), fast sweeps, no triggers.
    worker = await startRuntimeWorker({
      databaseUrl: t.db.url,
      encryptionKey: t.config.encryptionKey,
      settings: { pollMs: 100, sweepMs: 300, heartbeatMs: 300 },
      triggers: false,
      engines: { schemaWorkers: 1, mappingWorkers: 1, mappingTimeoutMs: 30_000 },
    });
    await send('<Invoice><total>3</total></Invoice>');
    // Every message waiting so far runs: each attempt's start, and how it ended.
    await untilCounted(member, from, 'RUNNING', 1);
    const ended = () =>
      ['SUCCEEDED', 'RETRYING', 'DEAD_LETTERED'].some((s) => countsOf(member, from)[s]);
    while (!ended()) await member.next(ofFlow, 20_000);
    const statuses = member.messages
      .slice(from)
      .filter(ofFlow)
      .flatMap((m) => m['statuses'] as string[]);
    expect(statuses).toContain('RUNNING');
    await worker.stop();
    worker = undefined;
  });

  it('announces a replayed and a discarded dead letter', async () => {
    // A flow of its own: the messages the tests above left behind may still change status (a
    // stopped worker's retry falls due), and those events must not be counted here.
    const quiet = await deployedFlow(t, pkg, 'LiveDead', ['DEV']);
    kits.push(quiet.kit);
    watched = quiet.flowId;
    const member = await connect(reader);
    const from = member.messages.length;
    const seeded = [0, 1].map(() =>
      seedMessage(t, {
        deploymentId: quiet.deployments['DEV'].id,
        status: 'DEAD_LETTERED',
        deadLetter: { nodeId: 'out', input: '<in/>' },
      }),
    );
    const [replayed, discarded] = await Promise.all(seeded);
    const dl = `/api/packages/${pkg}/dead-letters`;
    const replay = await t.request({
      method: 'POST',
      url: `${dl}/${replayed.deadLetterId}/replay`,
      payload: { pins: 'ORIGINAL' },
    });
    expect(replay.statusCode).toBe(202);
    const discard = await t.request({
      method: 'POST',
      url: `${dl}/${discarded.deadLetterId}/discard`,
    });
    expect(discard.statusCode).toBe(200);
    await untilCounted(member, from, 'DISCARDED', 1);
    expect(countsOf(member, from)).toMatchObject({ QUEUED: 1, REPLAYED: 1, DISCARDED: 1 });
  });
});
