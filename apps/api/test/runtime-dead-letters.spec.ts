import { createPackage, problemOf } from './support/access-fixtures';
import { deployed, deploymentRoutes } from './support/deployments';
import { removeFolders, type ReadyKit } from './support/readiness';
import { deployedFlow, jobsOf, seedMessage } from './support/runtime';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface ReplayResult {
  deadLetterId: string;
  messageId: string;
  deploymentId: string;
  resumeNodeId: string;
  status: string;
}

interface DeadLetter {
  id: string;
  messageId: string;
  status: string;
  replayMessageId: string | null;
  resolvedBy: string | null;
  payload: { contentType: string; sizeBytes: number } | null;
}

interface ReplayRow {
  trigger: string;
  status: string;
  replay_of: string;
  origin_id: string;
  deployment_id: string;
  resume_node_id: string;
  resume_payload_id: string;
  input_payload_id: string;
}

/**
 * Dead letters (issue 13): replay on the original pins or the active deployment, with the
 * stored or an edited payload, one or many in one transaction; discard; every change audited.
 */
describe('runtime: dead letters', () => {
  let t: TestApp;
  let pkg: string;
  let flowId: string;
  let kit: ReadyKit;
  let original: string;
  let viewer: TestUser;
  let integrator: TestUser;
  let developer: TestUser;
  let outsider: TestUser;
  const dl = (path = '') => `/api/packages/${pkg}/dead-letters${path}`;
  /** A dead-lettered message (failed at `node` with `input`) and its open dead letter. */
  const deadOne = async (node = 'out', input = '{"amount":7}') => {
    const seeded = await seedMessage(t, {
      deploymentId: original,
      status: 'DEAD_LETTERED',
      durationMs: 50,
      sourceRef: 'in.xml',
      deadLetter: { nodeId: node, input },
    });
    if (seeded.deadLetterId === null) throw new Error('no dead letter seeded');
    return { ...seeded, deadLetterId: seeded.deadLetterId };
  };
  const replay = (id: string, body: Record<string, unknown>, as?: TestUser) =>
    t.request({ method: 'POST', url: dl(`/${id}/replay`), payload: body, ...(as ? { as } : {}) });
  const message = async (id: string) =>
    (
      await t.db.pool.query<ReplayRow>(
        `SELECT trigger, status, replay_of, origin_id, deployment_id, resume_node_id,
                resume_payload_id, input_payload_id FROM runtime_messages WHERE id = $1`,
        [id],
      )
    ).rows[0];
  const auditOf = (id: string) =>
    t.db.pool
      .query<{ action: string; changes: Record<string, { before?: unknown; after?: unknown }> }>(
        `SELECT action, changes FROM audit_log WHERE entity_type = 'dead_letter' AND entity_id = $1`,
        [id],
      )
      .then((r) => r.rows);

  beforeAll(async () => {
    t = await startTestApp();
    pkg = await createPackage(t, 'Runtime dead letters');
    const other = await createPackage(t, 'Other');
    const flow = await deployedFlow(t, pkg, 'Dead', ['DEV']);
    flowId = flow.flowId;
    kit = flow.kit;
    original = flow.deployments['DEV'].id;
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    integrator = await t.createUser({ role: 'INTEGRATOR', packages: { [pkg]: 'INTEGRATOR' } });
    developer = await t.createUser({ role: 'DEVELOPER', packages: { [pkg]: 'DEVELOPER' } });
    outsider = await t.createUser({ role: 'INTEGRATOR', packages: { [other]: 'ADMINISTRATOR' } });
  });
  afterAll(async () => {
    await removeFolders([kit]);
    await t.close();
  });

  it('replays on the ORIGINAL pins from the failed node with the stored input, in one transaction with its job and audit', async () => {
    const seeded = await deadOne();
    const response = await replay(seeded.deadLetterId, { pins: 'ORIGINAL' }, integrator);
    expect(response.statusCode).toBe(202);
    const result = json<ReplayResult>(response);
    expect(result).toMatchObject({
      deadLetterId: seeded.deadLetterId,
      deploymentId: original,
      resumeNodeId: 'out',
      status: 'QUEUED',
    });
    expect(response.headers['location']).toBe(
      `/api/packages/${pkg}/executions/${result.messageId}`,
    );
    expect(await message(result.messageId)).toEqual({
      trigger: 'REPLAY',
      status: 'QUEUED',
      replay_of: seeded.messageId,
      origin_id: seeded.messageId,
      deployment_id: original,
      resume_node_id: 'out',
      resume_payload_id: seeded.deadPayloadId,
      input_payload_id: seeded.deadPayloadId,
    });
    expect(await jobsOf(t, result.messageId)).toBe(1);
    const after = json<DeadLetter>(
      await t.request({ method: 'GET', url: dl(`/${seeded.deadLetterId}`), as: viewer }),
    );
    expect(after).toMatchObject({
      status: 'REPLAYED',
      replayMessageId: result.messageId,
      resolvedBy: integrator.id,
    });
    const audit = await auditOf(seeded.deadLetterId);
    expect(audit.map((a) => a.action)).toEqual(['UPDATE']);
    expect(audit[0].changes).toMatchObject({
      event: { after: 'REPLAY' },
      status: { before: 'OPEN', after: 'REPLAYED' },
      replayMessageId: { after: result.messageId },
      pins: { after: 'ORIGINAL' },
      payloadEdited: { after: false },
    });
    // The trace of the original names its replay.
    const detail = json<{ replays: string[]; deadLetter: { status: string } }>(
      await t.request({
        method: 'GET',
        url: `/api/packages/${pkg}/executions/${seeded.messageId}`,
      }),
    );
    expect(detail).toMatchObject({
      replays: [result.messageId],
      deadLetter: { status: 'REPLAYED' },
    });

    const again = await replay(seeded.deadLetterId, { pins: 'ORIGINAL' });
    expect(again.statusCode).toBe(409);
    expect(problemOf(again)).toMatchObject({ code: 'state_conflict', status: 409 });
    expect(problemOf(again).detail).toContain('REPLAYED');
  });

  it('replays with an edited payload stored as an EDITED payload row of the new message', async () => {
    const seeded = await deadOne();
    const response = await replay(seeded.deadLetterId, {
      pins: 'ORIGINAL',
      payload: '{"amount":8}',
      contentType: 'application/json',
    });
    expect(response.statusCode).toBe(202);
    const { messageId } = json<ReplayResult>(response);
    const row = await message(messageId);
    const { rows } = await t.db.pool.query(
      `SELECT message_id, role, node_id, content_type, convert_from(content, 'UTF8') AS content
         FROM runtime_payloads WHERE id = $1`,
      [row.resume_payload_id],
    );
    expect(rows).toEqual([
      {
        message_id: messageId,
        role: 'EDITED',
        node_id: 'out',
        content_type: 'application/json',
        content: '{"amount":8}',
      },
    ]);
    const payload = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/executions/${messageId}/payload`,
    });
    expect(payload.body).toBe('{"amount":8}');
  });

  it('replays on the ACTIVE deployment, and refuses (409 naming the environment) when none is active', async () => {
    const seeded = await deadOne();
    const routes = deploymentRoutes(t, pkg, flowId);
    const redeployed = await deployed(routes.deploy('DEV'));
    expect(redeployed.id).not.toBe(original);
    const active = await replay(seeded.deadLetterId, { pins: 'ACTIVE' });
    expect(active.statusCode).toBe(202);
    expect(json<ReplayResult>(active).deploymentId).toBe(redeployed.id);

    const stranded = await deadOne();
    const undeployed = await routes.move(redeployed.id, 'undeploy');
    expect(undeployed.statusCode).toBe(200);
    const refused = await replay(stranded.deadLetterId, { pins: 'ACTIVE' });
    expect(refused.statusCode).toBe(409);
    expect(problemOf(refused)).toMatchObject({ environment: 'DEV' });
    expect(problemOf(refused).detail).toContain('no active deployment in DEV');
    // ORIGINAL runs on the pinned deployment even though it is no longer active.
    const onOriginal = await replay(stranded.deadLetterId, { pins: 'ORIGINAL' });
    expect(onOriginal.statusCode).toBe(202);
    expect(json<ReplayResult>(onOriginal).deploymentId).toBe(original);
    await deployed(routes.deploy('DEV'));
  });

  it('replays many in one transaction and reports each id', async () => {
    const a = await deadOne();
    const b = await deadOne('map', '{"total":1}');
    const discarded = await deadOne();
    await t.request({ method: 'POST', url: dl(`/${discarded.deadLetterId}/discard`) });
    const unknown = '0b6f3a3e-1111-4222-8333-444455556666';
    const response = await t.request({
      method: 'POST',
      url: dl('/replay'),
      payload: {
        ids: [a.deadLetterId, unknown, b.deadLetterId, discarded.deadLetterId],
        pins: 'ACTIVE',
      },
      as: integrator,
    });
    expect(response.statusCode).toBe(200);
    const result = json<{
      items: { id: string; outcome: string; messageId: string | null }[];
      replayed: number;
      skipped: number;
    }>(response);
    expect(result.items.map((i) => [i.id, i.outcome])).toEqual([
      [a.deadLetterId, 'REPLAYED'],
      [unknown, 'NOT_FOUND'],
      [b.deadLetterId, 'REPLAYED'],
      [discarded.deadLetterId, 'NOT_OPEN'],
    ]);
    expect([result.replayed, result.skipped]).toEqual([2, 2]);
    const replayB = await message(String(result.items[2].messageId));
    expect(replayB).toMatchObject({ resume_node_id: 'map', replay_of: b.messageId });
    expect(await jobsOf(t, String(result.items[0].messageId))).toBe(1);

    const tooMany = await t.request({
      method: 'POST',
      url: dl('/replay'),
      payload: {
        ids: Array.from(
          { length: 501 },
          (_, i) => `0b6f3a3e-1111-4222-8333-${String(i).padStart(12, '0')}`,
        ),
        pins: 'ORIGINAL',
      },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(problemOf(tooMany).errors[0].path).toBe('ids');
  });

  it('discards an open dead letter (audited), and refuses to discard it twice', async () => {
    const seeded = await deadOne();
    const response = await t.request({
      method: 'POST',
      url: dl(`/${seeded.deadLetterId}/discard`),
      as: integrator,
    });
    expect(response.statusCode).toBe(200);
    expect(json<DeadLetter>(response)).toMatchObject({
      status: 'DISCARDED',
      replayMessageId: null,
    });
    expect((await auditOf(seeded.deadLetterId))[0].changes['status']).toEqual({
      before: 'OPEN',
      after: 'DISCARDED',
    });
    const twice = await t.request({ method: 'POST', url: dl(`/${seeded.deadLetterId}/discard`) });
    expect(twice.statusCode).toBe(409);
    const replayDiscarded = await replay(seeded.deadLetterId, { pins: 'ORIGINAL' });
    expect(replayDiscarded.statusCode).toBe(409);
  });

  it('lists dead letters with filters and keyset paging, and serves the stored payload', async () => {
    const seeded: Awaited<ReturnType<typeof deadOne>>[] = [];
    for (let i = 0; i < 3; i++) seeded.push(await deadOne('out', `{"n":${i}}`));
    const open = json<{ items: DeadLetter[]; total: number; nextCursor: string | null }>(
      await t.request({
        method: 'GET',
        url: dl(`?status=OPEN&flowId=${flowId}&environment=DEV&limit=2`),
        as: viewer,
      }),
    );
    expect(open.items.every((d) => d.status === 'OPEN')).toBe(true);
    expect(open.items).toHaveLength(2);
    const next = json<{ items: DeadLetter[] }>(
      await t.request({
        method: 'GET',
        url: dl(`?status=OPEN&limit=200&cursor=${open.nextCursor}`),
      }),
    );
    const ids = [...open.items, ...next.items].map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(seeded.map((s) => s.deadLetterId)));
    expect(ids.length).toBe(open.total);
    expect(open.items[0].payload).toEqual(
      expect.objectContaining({ contentType: 'application/json', sizeBytes: 7 }),
    );
    const payload = await t.request({
      method: 'GET',
      url: dl(`/${seeded[2].deadLetterId}/payload`),
    });
    expect(payload.statusCode).toBe(200);
    expect(payload.body).toBe('{"n":2}');
    expect(payload.headers['content-type']).toBe('application/json');
  });

  it('refuses replay and discard to a VIEWER and a DEVELOPER (403), and hides them from other packages (404)', async () => {
    const seeded = await deadOne();
    for (const who of [viewer, developer]) {
      expect((await replay(seeded.deadLetterId, { pins: 'ORIGINAL' }, who)).statusCode).toBe(403);
      const discard = await t.request({
        method: 'POST',
        url: dl(`/${seeded.deadLetterId}/discard`),
        as: who,
      });
      expect(discard.statusCode).toBe(403);
    }
    const hidden = await replay(seeded.deadLetterId, { pins: 'ORIGINAL' }, outsider);
    expect(hidden.statusCode).toBe(404);
    expect(problemOf(hidden).detail).toBe(`Package ${pkg} does not exist`);
    const elsewhere = await createPackage(t, 'Replay elsewhere');
    const wrongPackage = await t.request({
      method: 'POST',
      url: `/api/packages/${elsewhere}/dead-letters/${seeded.deadLetterId}/replay`,
      payload: { pins: 'ORIGINAL' },
    });
    expect(wrongPackage.statusCode).toBe(404);
    expect(problemOf(wrongPackage).detail).toBe(
      `Dead letter ${seeded.deadLetterId} does not exist`,
    );
    const still = json<DeadLetter>(
      await t.request({ method: 'GET', url: dl(`/${seeded.deadLetterId}`) }),
    );
    expect(still.status).toBe('OPEN');
  });
});
