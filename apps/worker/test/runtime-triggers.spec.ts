/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openFileFolder } from '@integrixs/adapters';
import { pollFolder, startTriggerScheduler, type TriggerScheduler } from '@integrixs/runtime';

import { deploymentRoutes } from '../../api/test/support/deployments';
import { removeFolders, setOverlay, type ReadyKit } from '../../api/test/support/readiness';
import { startTestApp, type TestApp } from '../../api/test/support/test-app';
import { deployFlow, deploymentMessages, head, kitIn, target } from './support/runtime-kit';

/**
 * Poll and schedule triggers (issue 13): one leader per deployment through advisory locks,
 * files claimed by rename so two workers never take the same file, cron minutes fired once.
 */
describe('runtime triggers', () => {
  let t: TestApp;
  let kit: ReadyKit;
  let done: string;
  const schedulers: TriggerScheduler[] = [];
  let clock = new Date('2026-01-05T12:00:10Z');

  const scheduler = (workerId: string) => {
    const s = startTriggerScheduler({
      databaseUrl: t.db.url,
      encryptionKey: t.config.encryptionKey,
      workerId,
      autoTick: false,
      now: () => clock,
    });
    schedulers.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await startTestApp();
    kit = await kitIn(t, 'Runtime triggers');
    done = await mkdtemp(join(tmpdir(), 'triggers-done-'));
    await setOverlay(t, kit, kit.source, 'DEV', {
      folder: kit.folders[0],
      afterRead: { action: 'move', targetFolder: done },
    });
  }, 90_000);
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    // Every deployment a test made stops triggering before the next test.
    await t.db.pool.query(
      `UPDATE flow_deployments SET state = 'UNDEPLOYED' WHERE state <> 'UNDEPLOYED'`,
    );
  });
  afterAll(async () => {
    await removeFolders([kit]);
    await t.close();
  });

  const deployWith = async (name: string, trigger: Record<string, unknown>) => {
    const [source, ...rest] = head(kit);
    return deployFlow(
      t,
      kit,
      name,
      [{ ...source, trigger }, ...rest, target('out', kit.target)],
      [
        { from: 'in', to: 'check' },
        { from: 'check', to: 'map' },
        { from: 'map', to: 'out' },
      ],
    );
  };
  const messagesOf = (deploymentId: string) => deploymentMessages(t, deploymentId);

  it('two schedulers polling one folder of 20 files accept each file once and move it', async () => {
    const { deploymentId } = await deployWith('Poll twenty', { type: 'poll', intervalSeconds: 1 });
    const names = Array.from({ length: 20 }, (_, i) => `order-${String(i).padStart(2, '0')}.json`);
    for (const [i, name] of names.entries())
      await writeFile(join(kit.folders[0], name), JSON.stringify({ total: i }));
    const a = scheduler('wa');
    const b = scheduler('wb');
    await Promise.all([a.tick(), b.tick()]);

    const messages = await messagesOf(deploymentId);
    expect(messages.map((m) => m.source_ref)).toEqual(names);
    expect(new Set(messages.map((m) => m.trigger))).toEqual(new Set(['POLL']));
    expect((await readdir(done)).sort()).toEqual(names);
    expect(await readdir(kit.folders[0])).toEqual([]);
    // Exactly one of them led the deployment.
    expect([a, b].filter((s) => s.leading().includes(deploymentId))).toHaveLength(1);
  }, 60_000);

  it('claims by rename: two pollers that ignore the lock still take each file once', async () => {
    // The lock already keeps a second poller away; the claim must hold on its own too (a lock
    // lost mid-poll, two deployments on one folder): two folder polls of one folder at once.
    const folder = await mkdtemp(join(tmpdir(), 'triggers-claim-'));
    const archive = await mkdtemp(join(tmpdir(), 'triggers-claim-done-'));
    const names = Array.from({ length: 30 }, (_, i) => `f-${String(i).padStart(2, '0')}.xml`);
    for (const name of names) await writeFile(join(folder, name), `<n>${name}</n>`);
    const seen: string[] = [];
    const accept = (input: { sourceRef?: string | null }) => {
      seen.push(input.sourceRef ?? '');
      return Promise.resolve({ outcome: 'accepted' as const, messageId: input.sourceRef ?? '' });
    };
    const session = () =>
      openFileFolder({ folder, afterRead: { action: 'move', targetFolder: archive } });
    const [x, y] = await Promise.all([
      pollFolder(session(), { workerId: 'x', accept, afterReadAction: 'move' }),
      pollFolder(session(), { workerId: 'y', accept, afterReadAction: 'move' }),
    ]);
    expect(x.accepted + y.accepted).toBe(30);
    expect(seen.sort()).toEqual(names);
    expect((await readdir(archive)).sort()).toEqual(names);
    expect(await readdir(folder)).toEqual([]);
  });

  it('one leader per deployment; stopping it hands the deployment to the other', async () => {
    const { deploymentId } = await deployWith('Poll leader', { type: 'poll', intervalSeconds: 1 });
    const a = scheduler('la');
    const b = scheduler('lb');
    await a.tick();
    await b.tick();
    expect(a.leading()).toContain(deploymentId);
    expect(b.leading()).not.toContain(deploymentId);

    await writeFile(join(kit.folders[0], 'before.json'), '{"total": 1}');
    await b.tick(); // not the leader: does not poll
    expect(await messagesOf(deploymentId)).toEqual([]);

    await a.stop();
    await b.tick();
    expect(b.leading()).toContain(deploymentId);
    expect((await messagesOf(deploymentId)).map((m) => m.source_ref)).toEqual(['before.json']);
  }, 60_000);

  it('a leader whose connection dies is replaced on the next tick (failover)', async () => {
    const { deploymentId } = await deployWith('Poll failover', {
      type: 'poll',
      intervalSeconds: 1,
    });
    const a = scheduler('fa');
    const b = scheduler('fb');
    await a.tick();
    expect(a.leading()).toContain(deploymentId);
    // The worker "dies": PostgreSQL ends its lock session.
    const { rows } = await t.db.pool.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE application_name = 'integrixs-triggers:fa' AND datname = current_database()`,
    );
    expect(rows).toEqual([{ ended: true }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(a.leading()).toEqual([]); // it knows its session (and so its locks) is gone
    await b.tick();
    expect(b.leading()).toContain(deploymentId);
    await a.tick(); // reconnects, and stays a follower
    expect(a.leading()).not.toContain(deploymentId);
  }, 60_000);

  it('does not poll a suspended deployment, and lets go of its lock', async () => {
    const { flowId, deploymentId } = await deployWith('Poll suspended', {
      type: 'poll',
      intervalSeconds: 1,
    });
    const a = scheduler('sa');
    await a.tick();
    expect(a.leading()).toContain(deploymentId);
    expect(
      (await deploymentRoutes(t, kit.packageId, flowId).move(deploymentId, 'suspend')).statusCode,
    ).toBe(200);
    await writeFile(join(kit.folders[0], 'parked.json'), '{"total": 2}');
    clock = new Date(clock.getTime() + 5_000);
    await a.tick();
    expect(a.leading()).not.toContain(deploymentId);
    expect(await messagesOf(deploymentId)).toEqual([]);
    expect(await readdir(kit.folders[0])).toEqual(['parked.json']);

    expect(
      (await deploymentRoutes(t, kit.packageId, flowId).move(deploymentId, 'resume')).statusCode,
    ).toBe(200);
    await a.tick();
    expect((await messagesOf(deploymentId)).map((m) => m.source_ref)).toEqual(['parked.json']);
  }, 60_000);

  it('a * * * * * schedule fires once per minute across two schedulers', async () => {
    clock = new Date('2026-01-05T12:00:10Z');
    const { deploymentId } = await deployWith('Every minute', {
      type: 'schedule',
      cron: '* * * * *',
    });
    const a = scheduler('ca');
    const b = scheduler('cb');
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.tick(), b.tick()]);
    clock = new Date('2026-01-05T12:00:50Z');
    await Promise.all([a.tick(), b.tick()]);
    clock = new Date('2026-01-05T12:01:05Z');
    await Promise.all([a.tick(), b.tick()]);
    // The leader stops; the other takes over in the same minute and does not fire it again.
    const leader = a.leading().includes(deploymentId) ? a : b;
    const other = leader === a ? b : a;
    await leader.stop();
    await other.tick();
    clock = new Date('2026-01-05T12:02:00Z');
    await other.tick();

    const messages = await messagesOf(deploymentId);
    expect(messages.map((m) => m.idempotency_key)).toEqual([
      `schedule:${deploymentId}:2026-01-05T12:00:00.000Z`,
      `schedule:${deploymentId}:2026-01-05T12:01:00.000Z`,
      `schedule:${deploymentId}:2026-01-05T12:02:00.000Z`,
    ]);
    expect(new Set(messages.map((m) => m.trigger))).toEqual(new Set(['SCHEDULE']));
  }, 60_000);

  it('runs on its own timer as the worker starts it, and stop() ends it', async () => {
    const { deploymentId } = await deployWith('Poll timer', { type: 'poll', intervalSeconds: 1 });
    const timed = startTriggerScheduler({
      databaseUrl: t.db.url,
      encryptionKey: t.config.encryptionKey,
      tickMs: 100,
    });
    schedulers.push(timed);
    await writeFile(join(kit.folders[0], 'timed.json'), '{"total": 3}');
    const until = Date.now() + 15_000;
    while ((await messagesOf(deploymentId)).length === 0 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await messagesOf(deploymentId)).map((m) => m.source_ref)).toEqual(['timed.json']);
    await timed.stop();
    expect(timed.leading()).toEqual([]);
    const { rows } = await t.db.pool.query(
      `SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'integrixs-triggers:%'
          AND datname = current_database()`,
    );
    expect(rows).toEqual([]);
  }, 60_000);
});
