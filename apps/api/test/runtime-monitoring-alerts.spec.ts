import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import {
  makeCertificates,
  startSmtpServer,
  type TestCertificates,
  type TestSmtpServer,
} from '@integrixs/adapters/testing';

import { AlertEvaluatorService } from '../src/runtime-monitoring/alert-evaluator.service';
import { createPackage } from './support/access-fixtures';
import { createAdapter } from './support/adapter-connections';
import { deployed, deploymentRoutes, readyFlow } from './support/deployments';
import { removeFolders, type ReadyKit } from './support/readiness';
import { scopeOf, seedDeadLetter, seedMessage, type SeedScope } from './support/runtime-seed';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

const SMTP_PASSWORD = 'alerts-smtp-Pw-7c21';

interface WebhookCall {
  path: string;
  body: {
    alert: { state: string; rule: { name: string }; detail: { summary: string } };
    text: string;
  };
}

/** A webhook receiver on 127.0.0.1 that keeps what it is sent; `failNext` answers 503 once. */
async function startWebhook() {
  const calls: WebhookCall[] = [];
  let failNext = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failNext) {
        failNext = false;
        res.writeHead(503).end();
        return;
      }
      calls.push({
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookCall['body'],
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    calls,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failOnce: () => (failNext = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface RuleView {
  id: string;
  webhookOrigin: string | null;
  emailAdapterId: string | null;
  kind: string;
  flowId: string | null;
  enabled: boolean;
}
interface AlertView {
  id: string;
  state: string;
  dedupeKey: string;
  kind: string;
  resolvedAt: string | null;
  deliveryError: string | null;
  detail: { summary: string; deploymentId: string | null };
}

describe('runtime alert rules: CRUD, evaluation, deduplication and delivery by webhook and e-mail', () => {
  let t: TestApp;
  let kit: ReadyKit;
  let pkg: string;
  let scope: SeedScope;
  let deploymentId: string;
  let certs: TestCertificates;
  let smtp: TestSmtpServer;
  let hook: Awaited<ReturnType<typeof startWebhook>>;
  let emailAdapterId: string;
  let evaluator: AlertEvaluatorService;
  const rulesUrl = () => `/api/packages/${pkg}/alert-rules`;
  const alerts = async (query = '') =>
    json<{ items: AlertView[] }>(
      await t.request({ method: 'GET', url: `/api/packages/${pkg}/alerts${query}` }),
    ).items;
  const createRule = async (body: Record<string, unknown>, as?: TestUser) =>
    t.request({ method: 'POST', url: rulesUrl(), payload: body, ...(as ? { as } : {}) });
  /** Subject headers, unfolded (long headers continue on indented lines). */
  const subjects = () =>
    smtp.received.map((m) => /^Subject: (.*)$/m.exec(m.raw.replace(/\r?\n[ \t]/g, ' '))?.[1] ?? '');

  beforeAll(async () => {
    certs = makeCertificates();
    smtp = await startSmtpServer({ username: 'alerts', password: SMTP_PASSWORD, certs });
    hook = await startWebhook();
    // TEST-NET-1 stands for a forbidden network: deliveries there must be refused.
    t = await startTestApp({ config: { outboundDeny: ['192.0.2.0/24'] } });
    evaluator = t.app.get(AlertEvaluatorService);
    // The test evaluates itself: the schedule must not evaluate meanwhile.
    await evaluator.onModuleDestroy();
    pkg = await createPackage(t, 'Alerting');
    const made = await readyFlow(t, pkg, 'Alert');
    kit = made.assets;
    const deployment = await deployed(deploymentRoutes(t, pkg, made.flowId).deploy('DEV'));
    deploymentId = deployment.id;
    scope = await scopeOf(t.db.pool, deploymentId);
    const adapterUrl = await createAdapter(t, pkg, {
      name: 'Alert mail',
      adapterType: 'EMAIL',
      direction: 'TARGET',
      configuration: {
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'starttls',
          caCertificate: certs.ca,
          username: 'alerts',
          password: SMTP_PASSWORD,
          from: 'alerts@integrixs.test',
        },
      },
    });
    emailAdapterId = adapterUrl.split('/').pop() ?? '';
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([smtp?.close(), hook?.close()]);
    if (kit) await removeFolders([kit]);
  });

  it('refuses rules that cannot work, naming the field', async () => {
    const base = {
      name: 'Bad rule',
      environment: 'DEV',
      kind: 'DEAD_LETTERS',
      threshold: 1,
      webhookUrl: `${hook.url}/hook`,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, webhookUrl: undefined }, 'webhookUrl'],
      [{ ...base, webhookUrl: 'ftp://example.com/x' }, 'webhookUrl'],
      [{ ...base, environment: 'NOWHERE' }, 'environment'],
      [{ ...base, kind: 'SOMETHING' }, 'kind'],
      [{ ...base, threshold: -1 }, 'threshold'],
      [{ ...base, kind: 'ERROR_RATE', threshold: 150 }, 'threshold'],
      [{ ...base, flowId: kit.source }, 'flowId'],
      [{ ...base, emailAdapterId: kit.source, emailRecipients: ['a@b.test'] }, 'emailAdapterId'],
      [{ ...base, emailAdapterId }, 'emailRecipients'],
      [{ ...base, emailRecipients: ['not an address'] }, 'emailRecipients'],
    ];
    for (const [body, field] of cases) {
      const r = await createRule(body);
      expect({ field, status: r.statusCode }).toEqual({ field, status: 400 });
      expect(json<{ errors: { path: string }[] }>(r).errors.map((e) => e.path)).toContain(field);
    }
  });

  it('lets members read rules and only administrators and integrators manage them; never answers the webhook token', async () => {
    const viewer = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'VIEWER' } });
    const integrator = await t.createUser({ role: 'VIEWER', packages: { [pkg]: 'INTEGRATOR' } });
    const body = {
      name: 'Managed rule',
      environment: 'DEV',
      kind: 'STUCK_QUEUE',
      threshold: 1,
      windowMinutes: 10,
      webhookUrl: `${hook.url}/hook/secret-token?key=s3cr3t`,
    };
    expect((await createRule(body, viewer)).statusCode).toBe(403);
    const created = await createRule(body, integrator);
    expect(created.statusCode).toBe(201);
    const rule = json<RuleView>(created);
    expect(rule.webhookOrigin).toBe(hook.url);
    expect(created.body).not.toContain('secret-token');
    expect(created.body).not.toContain('s3cr3t');
    const list = await t.request({ method: 'GET', url: rulesUrl(), as: viewer });
    expect(list.statusCode).toBe(200);
    expect(json<{ items: RuleView[] }>(list).items.map((r) => r.id)).toContain(rule.id);
    const audit = await t.db.pool.query<{ changes: unknown }>(
      `SELECT changes FROM audit_log WHERE entity_type = 'alert_rule' AND entity_id = $1`,
      [rule.id],
    );
    expect(JSON.stringify(audit.rows)).not.toContain('secret-token');

    const patched = await t.request({
      method: 'PATCH',
      url: `${rulesUrl()}/${rule.id}`,
      payload: { enabled: false, flowId: scope.flowId },
      as: integrator,
    });
    expect(patched.statusCode).toBe(200);
    expect(json<RuleView>(patched)).toMatchObject({ enabled: false, flowId: scope.flowId });
    const cleared = await t.request({
      method: 'PATCH',
      url: `${rulesUrl()}/${rule.id}`,
      payload: { webhookUrl: null },
    });
    expect(cleared.statusCode).toBe(400); // no channel left
    expect(
      (await t.request({ method: 'DELETE', url: `${rulesUrl()}/${rule.id}`, as: viewer }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.request({ method: 'DELETE', url: `${rulesUrl()}/${rule.id}`, as: integrator }))
        .statusCode,
    ).toBe(204);
    expect((await t.request({ method: 'GET', url: `${rulesUrl()}/${rule.id}` })).statusCode).toBe(
      404,
    );
  });

  it('fires once by webhook and e-mail, stays quiet while firing, and sends "resolved" once the condition clears', async () => {
    const created = await createRule({
      name: 'Dead letters in DEV',
      environment: 'DEV',
      flowId: scope.flowId,
      kind: 'DEAD_LETTERS',
      threshold: 1,
      windowMinutes: 30,
      webhookUrl: `${hook.url}/alerts?token=abc`,
      emailAdapterId,
      emailRecipients: ['ops@integrixs.test'],
    });
    expect(created.statusCode).toBe(201);

    // Nothing happened yet: nothing fires.
    expect(await evaluator.runOnce()).toMatchObject({ ran: true, fired: 0, delivered: 0 });
    expect(hook.calls).toHaveLength(0);

    const dead = await seedMessage(t.db.pool, scope, { status: 'DEAD_LETTERED' });
    const deadLetterId = await seedDeadLetter(t.db.pool, scope, dead);

    expect(await evaluator.runOnce()).toMatchObject({ fired: 1, delivered: 2, failed: 0 });
    expect(hook.calls).toHaveLength(1);
    expect(hook.calls[0].path).toBe('/alerts?token=abc');
    expect(hook.calls[0].body.alert).toMatchObject({
      state: 'FIRING',
      rule: { name: 'Dead letters in DEV' },
    });
    expect(hook.calls[0].body.alert.detail.summary).toContain('1 new dead letter');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual(['ops@integrixs.test']);
    expect(smtp.received[0].from).toBe('alerts@integrixs.test');
    expect(subjects()[0]).toContain('FIRING: Dead letters in DEV');
    const [firing] = await alerts('?state=FIRING');
    expect(firing).toMatchObject({ state: 'FIRING', dedupeKey: `flow:${scope.flowId}` });

    // Still firing (and one more dead letter): deduplicated, nothing sent again.
    await seedDeadLetter(
      t.db.pool,
      scope,
      await seedMessage(t.db.pool, scope, { status: 'DEAD_LETTERED' }),
    );
    expect(await evaluator.runOnce()).toMatchObject({ fired: 0, resolved: 0, delivered: 0 });
    expect(hook.calls).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);

    // The dead letters age out of the window: resolved, told once on each channel.
    await t.db.pool.query(
      `UPDATE runtime_dead_letters SET created_at = now() - interval '2 hours' WHERE flow_id = $1`,
      [scope.flowId],
    );
    expect(await evaluator.runOnce()).toMatchObject({ resolved: 1, delivered: 2 });
    expect(hook.calls).toHaveLength(2);
    expect(hook.calls[1].body.alert.state).toBe('RESOLVED');
    expect(smtp.received).toHaveLength(2);
    expect(subjects()[1]).toContain('RESOLVED: Dead letters in DEV');
    expect(await evaluator.runOnce()).toMatchObject({ fired: 0, resolved: 0, delivered: 0 });
    expect(hook.calls).toHaveLength(2);
    expect(smtp.received).toHaveLength(2);
    const [resolved] = await alerts();
    expect(resolved).toMatchObject({ id: firing.id, state: 'RESOLVED', deliveryError: null });
    expect(resolved.resolvedAt).not.toBeNull();
    expect(deadLetterId).toBeDefined();
    await t.request({
      method: 'DELETE',
      url: `${rulesUrl()}/${json<RuleView>(created).id}`,
    });
  });

  it('retries a failed delivery at the next evaluation, and only on the channel that failed', async () => {
    const created = await createRule({
      name: 'Stuck in DEV',
      environment: 'DEV',
      kind: 'STUCK_QUEUE',
      threshold: 1,
      windowMinutes: 5,
      webhookUrl: `${hook.url}/stuck`,
      emailAdapterId,
      emailRecipients: ['ops@integrixs.test'],
    });
    expect(created.statusCode).toBe(201);
    const before = { hooks: hook.calls.length, mails: smtp.received.length };
    const stuck = await seedMessage(t.db.pool, scope, { status: 'QUEUED', ageMinutes: 30 });
    hook.failOnce();
    expect(await evaluator.runOnce()).toMatchObject({ fired: 1, delivered: 1, failed: 1 });
    expect(smtp.received.length - before.mails).toBe(1);
    expect(hook.calls.length - before.hooks).toBe(0);
    const [alert] = await alerts('?state=FIRING');
    expect(alert.deliveryError).toContain('answered 503');

    expect(await evaluator.runOnce()).toMatchObject({ fired: 0, delivered: 1, failed: 0 });
    expect(hook.calls.length - before.hooks).toBe(1);
    expect(smtp.received.length - before.mails).toBe(1);
    expect((await alerts('?state=FIRING'))[0].deliveryError).toBeNull();

    await t.db.pool.query(`UPDATE runtime_messages SET status = 'SUCCEEDED' WHERE id = $1`, [
      stuck.messageId,
    ]);
    expect(await evaluator.runOnce()).toMatchObject({ resolved: 1, delivered: 2 });
    await t.request({ method: 'DELETE', url: `${rulesUrl()}/${json<RuleView>(created).id}` });
  });

  it('watches a new deployment, marks it FAILING when its first messages fail, and a HEALTH_CHECK rule fires', async () => {
    const healthUrl = `/api/packages/${pkg}/flows/${scope.flowId}/deployments/${deploymentId}/health`;
    const rule = await createRule({
      name: 'Deployment health',
      environment: 'DEV',
      kind: 'HEALTH_CHECK',
      webhookUrl: `${hook.url}/health`,
    });
    expect(rule.statusCode).toBe(201);
    // Earlier tests' messages are not this check's: start from a clean slate.
    await t.db.pool.query(`DELETE FROM runtime_messages WHERE deployment_id = $1`, [deploymentId]);
    await t.db.pool.query(`DELETE FROM runtime_deployment_health`);
    await evaluator.runOnce();
    const watching = json<{ status: string; watchMessages: number }>(
      await t.request({ method: 'GET', url: healthUrl }),
    );
    expect(watching).toMatchObject({ status: 'WATCHING', watchMessages: 5 });

    await seedMessage(t.db.pool, scope, { status: 'SUCCEEDED' });
    await seedMessage(t.db.pool, scope, { status: 'DEAD_LETTERED', attempts: 3 });
    await seedMessage(t.db.pool, scope, { status: 'RETRYING' });
    const calls = hook.calls.length;
    expect(await evaluator.runOnce()).toMatchObject({ fired: 1 });
    const failing = json<{ status: string; messagesSeen: number; messagesFailed: number }>(
      await t.request({ method: 'GET', url: healthUrl }),
    );
    // 2 failed of the 5 to watch is already over 20 %: decided before all five arrived.
    expect(failing).toMatchObject({ status: 'FAILING', messagesSeen: 3, messagesFailed: 2 });
    expect(hook.calls.length - calls).toBe(1);
    expect(hook.calls[hook.calls.length - 1].path).toBe('/health');
    const [alert] = await alerts('?state=FIRING');
    expect(alert).toMatchObject({ kind: 'HEALTH_CHECK', dedupeKey: `deployment:${deploymentId}` });

    // The deployment goes (undeployed): the alert resolves.
    const undeploy = await deploymentRoutes(t, pkg, scope.flowId).move(deploymentId, 'undeploy');
    expect(undeploy.statusCode).toBe(200);
    expect(await evaluator.runOnce()).toMatchObject({ resolved: 1, delivered: 1 });

    const unknown = await t.request({
      method: 'GET',
      url: `/api/packages/${pkg}/flows/${scope.flowId}/deployments/00000000-0000-4000-8000-000000000000/health`,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('fires ERROR_RATE above the threshold per flow, and refuses deliveries the outbound policy denies', async () => {
    await t.db.pool.query(`DELETE FROM runtime_messages WHERE flow_id = $1`, [scope.flowId]);
    const created = await createRule({
      name: 'Error rate',
      environment: 'DEV',
      kind: 'ERROR_RATE',
      threshold: 30,
      windowMinutes: 15,
      webhookUrl: 'http://192.0.2.10/hook',
    });
    expect(created.statusCode).toBe(201);
    const ruleId = json<RuleView>(created).id;
    const ofRule = async () =>
      (await alerts()).filter((a) => a.kind === 'ERROR_RATE' && a.state === 'FIRING');
    await seedMessage(t.db.pool, scope, { status: 'SUCCEEDED' });
    await seedMessage(t.db.pool, scope, { status: 'SUCCEEDED' });
    await seedMessage(t.db.pool, scope, { status: 'DEAD_LETTERED' });
    // Out of the window, and still running: neither counts.
    await seedMessage(t.db.pool, scope, { status: 'DEAD_LETTERED', ageMinutes: 60 });
    await seedMessage(t.db.pool, scope, { status: 'RUNNING' });
    await evaluator.runOnce();
    // 1 of 3 = 33.3 % > 30 %.
    const [alert] = await ofRule();
    expect(alert.detail.summary).toContain('1 of 3 messages dead-lettered (33.3%)');
    expect(alert.deliveryError).toMatch(/webhook: 192\.0\.2\.10 is on the deny list/);

    await seedMessage(t.db.pool, scope, { status: 'SUCCEEDED' });
    await evaluator.runOnce();
    expect(await ofRule()).toHaveLength(0); // 1 of 4 = 25 %
    await t.request({ method: 'DELETE', url: `${rulesUrl()}/${ruleId}` });
  });

  it('evaluates on one instance at a time', async () => {
    const holder = await t.db.pool.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [
        'integrixs runtime alerts',
      ]);
      expect(await evaluator.runOnce()).toMatchObject({ ran: false });
    } finally {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      holder.release();
    }
  });
});
