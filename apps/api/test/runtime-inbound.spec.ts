import { bearer, createApiToken, createPackage, problemOf } from './support/access-fixtures';
import { deploymentRoutes } from './support/deployments';
import { removeFolders, type ReadyKit } from './support/readiness';
import { deployedFlow, jobsOf, sendInbound } from './support/runtime';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

interface Sent {
  messageId: string;
  status: string;
  duplicate: boolean;
}

/**
 * Inbound HTTP and manual runs (issue 13): a message is answered 202 only once its row, its
 * INPUT payload and its graphile-worker job are committed; tokens need runtime:send for the
 * flow's package; the flow must be DEPLOYED in the environment.
 */
describe('runtime: inbound HTTP and manual runs', () => {
  let t: TestApp;
  let pkg: string;
  let otherPkg: string;
  let flowId: string;
  let kit: ReadyKit;
  let testDeployment: string;
  let devDeployment: string;
  /** DEVELOPER member of the flow's package. */
  let developer: TestUser;
  let sender: TestUser;
  let readerOnly: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ config: { runtimeMaxPayloadBytes: 64 * 1024 } });
    pkg = await createPackage(t, 'Runtime inbound');
    otherPkg = await createPackage(t, 'Runtime elsewhere');
    const flow = await deployedFlow(t, pkg, 'Inbound', ['DEV', 'TEST', 'PROD']);
    flowId = flow.flowId;
    kit = flow.kit;
    testDeployment = flow.deployments['TEST'].id;
    devDeployment = flow.deployments['DEV'].id;
    const suspended = await deploymentRoutes(t, pkg, flowId).move(testDeployment, 'suspend');
    if (suspended.statusCode !== 200) throw new Error(`suspend: ${suspended.body}`);
    developer = await t.createUser({
      role: 'DEVELOPER',
      packages: { [pkg]: 'DEVELOPER', [otherPkg]: 'VIEWER' },
    });
    const token = await createApiToken(t, developer, {
      name: 'Inbound sender',
      permissions: ['runtime:send'],
      packageIds: [pkg],
    });
    sender = bearer(developer, token.token);
    const reader = await createApiToken(t, developer, {
      name: 'Reader',
      permissions: ['runtime:read', 'asset:read'],
    });
    readerOnly = bearer(developer, reader.token);
    viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    const stranger = await t.createUser({
      role: 'DEVELOPER',
      packages: { [otherPkg]: 'ADMINISTRATOR' },
    });
    outsider = bearer(
      stranger,
      (
        await createApiToken(t, stranger, {
          name: 'Stranger',
          permissions: ['runtime:send'],
        })
      ).token,
    );
  });
  afterAll(async () => {
    await removeFolders([kit]);
    await t.close();
  });

  it('accepts an XML message with a runtime:send token: 202 after the row, payload and job exist', async () => {
    const body = '<Invoice><total>42</total></Invoice>';
    const response = await sendInbound(t, flowId, 'DEV', body, {
      contentType: 'application/xml; charset=utf-8',
      as: sender,
    });
    expect(response.statusCode).toBe(202);
    const sent = json<Sent>(response);
    expect(sent).toEqual({
      messageId: expect.any(String) as string,
      status: 'QUEUED',
      duplicate: false,
    });
    expect(response.headers['location']).toBe(`/api/packages/${pkg}/executions/${sent.messageId}`);
    const { rows } = await t.db.pool.query(
      `SELECT m.trigger, m.status, m.created_by, m.size_bytes, m.source_ref, e.code,
              d.state, p.role, p.content_type, convert_from(p.content, 'UTF8') AS content
         FROM runtime_messages m
         JOIN environments e ON e.id = m.environment_id
         JOIN flow_deployments d ON d.id = m.deployment_id
         JOIN runtime_payloads p ON p.id = m.input_payload_id
        WHERE m.id = $1`,
      [sent.messageId],
    );
    expect(rows).toEqual([
      {
        trigger: 'HTTP',
        status: 'QUEUED',
        created_by: developer.id,
        size_bytes: Buffer.byteLength(body),
        source_ref: expect.any(String) as string,
        code: 'DEV',
        state: 'DEPLOYED',
        role: 'INPUT',
        content_type: 'application/xml; charset=utf-8',
        content: body,
      },
    ]);
    expect(await jobsOf(t, sent.messageId)).toBe(1);
  });

  it('stores JSON, text and binary bodies byte for byte, without a content type as octet-stream', async () => {
    const binary = Buffer.from([0, 255, 1, 254, 10, 13, 0x80]);
    const cases: [string | Buffer, string | undefined, string][] = [
      ['{"total": 1, "deep": [[[[1]]]]}', 'application/json', 'application/json'],
      ['plain words', 'text/plain', 'text/plain'],
      [binary, 'application/octet-stream', 'application/octet-stream'],
      [binary, undefined, 'application/octet-stream'],
    ];
    for (const [body, contentType, stored] of cases) {
      const response = await sendInbound(t, flowId, 'dev', body, { contentType, as: sender });
      expect(response.statusCode).toBe(202);
      const { rows } = await t.db.pool.query<{ content: Buffer; content_type: string }>(
        `SELECT p.content, p.content_type FROM runtime_messages m
           JOIN runtime_payloads p ON p.id = m.input_payload_id WHERE m.id = $1`,
        [json<Sent>(response).messageId],
      );
      expect(rows[0].content_type).toBe(stored);
      expect(Buffer.compare(rows[0].content, Buffer.from(body))).toBe(0);
    }
  });

  it('answers a repeated Idempotency-Key with the first message id and stores nothing new', async () => {
    const first = await sendInbound(t, flowId, 'DEV', '<a/>', {
      contentType: 'application/xml',
      idempotencyKey: 'order-77',
      as: sender,
    });
    expect(first.statusCode).toBe(202);
    const before = await t.db.count(`SELECT count(*)::int AS n FROM runtime_messages`);
    const again = await sendInbound(t, flowId, 'DEV', '<a/>', {
      contentType: 'application/xml',
      idempotencyKey: 'order-77',
      as: sender,
    });
    expect(again.statusCode).toBe(200);
    expect(json<Sent>(again)).toEqual({
      messageId: json<Sent>(first).messageId,
      status: 'QUEUED',
      duplicate: true,
    });
    expect(await t.db.count(`SELECT count(*)::int AS n FROM runtime_messages`)).toBe(before);
    const tooLong = await sendInbound(t, flowId, 'DEV', '<a/>', {
      idempotencyKey: 'k'.repeat(201),
      as: sender,
    });
    expect(tooLong.statusCode).toBe(400);
    expect(problemOf(tooLong).errors[0].path).toBe('idempotency-key');
  });

  it('answers concurrent requests with one Idempotency-Key with one message', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        sendInbound(t, flowId, 'DEV', '<same/>', { idempotencyKey: 'burst-1', as: sender }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 202]);
    const ids = new Set(answers.map((a) => json<Sent>(a).messageId));
    expect(ids.size).toBe(1);
    expect(
      await t.db.count(
        `SELECT count(*)::int AS n FROM runtime_messages WHERE idempotency_key = 'burst-1'`,
      ),
    ).toBe(1);
  });

  it('refuses a token without runtime:send (403) and one scoped to other packages as an unknown flow (404)', async () => {
    const refused = await sendInbound(t, flowId, 'DEV', '<a/>', { as: readerOnly });
    expect(refused.statusCode).toBe(403);
    const elsewhere = await createApiToken(t, developer, {
      name: 'Other package only',
      permissions: ['runtime:send'],
      packageIds: [otherPkg],
    });
    const hidden = await sendInbound(t, flowId, 'DEV', '<a/>', {
      as: bearer(developer, elsewhere.token),
    });
    const unknown = await sendInbound(t, '7d5a9a9e-0000-4000-8000-000000000000', 'DEV', '<a/>', {
      as: sender,
    });
    expect([hidden.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(problemOf(hidden).detail).toBe(`Flow ${flowId} does not exist`);
    expect(problemOf(unknown).detail).toBe(
      'Flow 7d5a9a9e-0000-4000-8000-000000000000 does not exist',
    );
    const stranger = await sendInbound(t, flowId, 'DEV', '<a/>', { as: outsider });
    expect(stranger.statusCode).toBe(404);
    expect(problemOf(stranger).detail).toBe(`Flow ${flowId} does not exist`);
    const anonymous = await sendInbound(t, flowId, 'DEV', '<a/>', { as: null });
    expect(anonymous.statusCode).toBe(401);
    const notAUuid = await sendInbound(t, 'invoices', 'DEV', '<a/>', { as: sender });
    expect(notAUuid.statusCode).toBe(404);
  });

  it('refuses a VIEWER member (no runtime:send) with 403', async () => {
    const response = await sendInbound(t, flowId, 'DEV', '<a/>', { as: viewer });
    expect(response.statusCode).toBe(403);
  });

  it('answers 409 naming the state when the flow is suspended or not deployed in the environment', async () => {
    const suspended = await sendInbound(t, flowId, 'TEST', '<a/>', { as: sender });
    expect(suspended.statusCode).toBe(409);
    expect(problemOf(suspended)).toMatchObject({
      code: 'state_conflict',
      state: 'SUSPENDED',
      environment: 'TEST',
    });
    expect(problemOf(suspended).detail).toContain('SUSPENDED in TEST');
    const environments = await t.request({
      method: 'POST',
      url: '/api/environments',
      payload: { code: 'QA', name: 'Quality' },
    });
    expect(environments.statusCode).toBe(201);
    const notDeployed = await sendInbound(t, flowId, 'QA', '<a/>', { as: sender });
    expect(notDeployed.statusCode).toBe(409);
    expect(problemOf(notDeployed)).toMatchObject({ state: 'NOT_DEPLOYED', environment: 'QA' });
  });

  it('answers 400 naming the environment when it is malformed or unknown', async () => {
    for (const env of ['NOPE', 'bad-name!']) {
      const response = await sendInbound(t, flowId, encodeURIComponent(env), '<a/>', {
        as: sender,
      });
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).errors[0].path).toBe('environment');
    }
  });

  it('answers 413 past RUNTIME_MAX_PAYLOAD_BYTES and stores nothing, while JSON routes keep their own limit', async () => {
    const before = await t.db.count(`SELECT count(*)::int AS n FROM runtime_messages`);
    const response = await sendInbound(t, flowId, 'DEV', Buffer.alloc(64 * 1024 + 1, 65), {
      contentType: 'application/octet-stream',
      as: sender,
    });
    expect(response.statusCode).toBe(413);
    expect(problemOf(response)).toMatchObject({ code: 'payload_too_large', limit: 65536 });
    expect(await t.db.count(`SELECT count(*)::int AS n FROM runtime_messages`)).toBe(before);
    // A caller without a valid token is refused before the body is read: 401, not 413.
    for (const authorization of [undefined, 'Bearer ixt_not-a-token']) {
      const refused = await t.request({
        method: 'POST',
        url: `/api/runtime/inbound/${flowId}/DEV`,
        payload: Buffer.alloc(64 * 1024 + 1, 65),
        headers: {
          'content-type': 'application/octet-stream',
          ...(authorization ? { authorization } : {}),
        },
        as: null,
      });
      expect(refused.statusCode).toBe(401);
    }
    // Other routes still refuse what is not JSON, and the private media type is no way around it.
    const xmlElsewhere = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/flows/${flowId}/runs`,
      payload: '<a/>',
      headers: { 'content-type': 'application/x-integrixs-inbound-message' },
    });
    expect(xmlElsewhere.statusCode).toBe(415);
  });

  it('sends only to unprotected environments unless the caller is INTEGRATOR or ADMINISTRATOR', async () => {
    const refused = await sendInbound(t, flowId, 'PROD', '<a/>', { as: sender });
    expect(refused.statusCode).toBe(403);
    expect(problemOf(refused).detail).toContain('protected environment PROD');
    const admin = await sendInbound(t, flowId, 'PROD', '<a/>', { contentType: 'text/xml' });
    expect(admin.statusCode).toBe(202);
  });

  it('decides again at once when the deployment or the environment changed since the last message', async () => {
    // The intake reuses a DEPLOYED lookup for a second; the accept must still see every change.
    const dev = { id: devDeployment };
    const routes = deploymentRoutes(t, pkg, flowId);
    expect((await sendInbound(t, flowId, 'DEV', '<a/>', { as: sender })).statusCode).toBe(202);
    expect((await routes.move(dev.id, 'suspend')).statusCode).toBe(200);
    const suspended = await sendInbound(t, flowId, 'DEV', '<a/>', { as: sender });
    expect(problemOf(suspended)).toMatchObject({ state: 'SUSPENDED', environment: 'DEV' });
    expect((await routes.move(dev.id, 'resume')).statusCode).toBe(200);
    expect((await sendInbound(t, flowId, 'DEV', '<a/>', { as: sender })).statusCode).toBe(202);
    const protect = (value: boolean) =>
      t.request({ method: 'PATCH', url: '/api/environments/DEV', payload: { protected: value } });
    expect((await protect(true)).statusCode).toBe(200);
    try {
      const before = await t.db.count(`SELECT count(*)::int AS n FROM runtime_messages`);
      const refused = await sendInbound(t, flowId, 'DEV', '<a/>', { as: sender });
      expect(refused.statusCode).toBe(403);
      expect(problemOf(refused).detail).toContain('protected environment DEV');
      expect(await t.db.count(`SELECT count(*)::int AS n FROM runtime_messages`)).toBe(before);
    } finally {
      expect((await protect(false)).statusCode).toBe(200);
    }
    // Nor does a lookup from while it was protected refuse the sender now.
    expect((await sendInbound(t, flowId, 'DEV', '<a/>', { as: sender })).statusCode).toBe(202);
  });

  it('runs a flow manually: 202 with a MANUAL message and its job', async () => {
    const response = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/flows/${flowId}/runs`,
      payload: { environment: 'DEV', payload: '{"total": 5}', contentType: 'application/json' },
      as: developer,
    });
    expect(response.statusCode).toBe(202);
    const sent = json<Sent>(response);
    expect(sent.status).toBe('QUEUED');
    expect(response.headers['location']).toBe(`/api/packages/${pkg}/executions/${sent.messageId}`);
    const { rows } = await t.db.pool.query(
      `SELECT m.trigger, p.content_type, convert_from(p.content, 'UTF8') AS content
         FROM runtime_messages m JOIN runtime_payloads p ON p.id = m.input_payload_id
        WHERE m.id = $1`,
      [sent.messageId],
    );
    expect(rows).toEqual([
      { trigger: 'MANUAL', content_type: 'application/json', content: '{"total": 5}' },
    ]);
    expect(await jobsOf(t, sent.messageId)).toBe(1);
    const byViewer = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/flows/${flowId}/runs`,
      payload: { environment: 'DEV', payload: 'x' },
      as: viewer,
    });
    expect(byViewer.statusCode).toBe(403);
    const wrongPackage = await t.request({
      method: 'POST',
      url: `/api/packages/${otherPkg}/flows/${flowId}/runs`,
      payload: { environment: 'DEV', payload: 'x' },
    });
    expect(wrongPackage.statusCode).toBe(404);
    const suspended = await t.request({
      method: 'POST',
      url: `/api/packages/${pkg}/flows/${flowId}/runs`,
      payload: { environment: 'TEST', payload: 'x' },
    });
    expect(suspended.statusCode).toBe(409);
  });
});
