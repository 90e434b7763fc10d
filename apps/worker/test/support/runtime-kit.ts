/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { Client } from 'pg';

import {
  acceptMessage,
  jobQueueFor,
  startRuntimeWorker,
  type RuntimeSettings,
  type RuntimeWorker,
  type RuntimeWorkerOptions,
} from '@integrixs/runtime';

import { createPackage } from '../../../api/test/support/access-fixtures';
import { deployed, deploymentRoutes } from '../../../api/test/support/deployments';
import { createFlow } from '../../../api/test/support/flows';
import { connectionTest, createReadyKit, type ReadyKit } from '../../../api/test/support/readiness';
import { createVia, type TestApp } from '../../../api/test/support/test-app';

/** Small timings so retries, heartbeats and sweeps happen within a test. */
export const FAST: Partial<RuntimeSettings> = {
  stepTimeoutMs: 20_000,
  maxAttempts: 4,
  retryBaseMs: 50,
  retryCapMs: 400,
  heartbeatMs: 300,
  staleAfterMs: 1_500,
  sweepMs: 300,
  pollMs: 100,
};

/**
 * A worker in the test process on the test app's database, with the test app's key and job
 * transport. Its poll and schedule triggers are off unless `triggers` turns them on (then it
 * polls like a deployed worker).
 */
export function startWorker(
  t: TestApp,
  settings: Partial<RuntimeSettings> = {},
  triggers: RuntimeWorkerOptions['triggers'] = false,
  observers: RuntimeWorkerOptions['observers'] = [],
) {
  return startRuntimeWorker({
    observers,
    databaseUrl: t.db.url,
    encryptionKey: t.config.encryptionKey,
    settings: { ...FAST, ...settings },
    transport: t.config.runtimeTransport,
    // Messages come from the tests unless they ask for triggers (the scheduler has its own tests).
    triggers,
    // Generous engine limits: a loaded test machine must not turn a cold first run into a retry.
    engines: {
      schemaWorkers: 1,
      mappingWorkers: 1,
      mappingTimeoutMs: 30_000,
      schemaValidationTimeoutMs: 30_000,
    },
  });
}

/**
 * Accepts a message for a deployment as the inbound API would (its own transaction, the test
 * app's job transport).
 */
export async function accept(
  t: TestApp,
  deploymentId: string,
  payload: string,
  contentType = 'application/json',
): Promise<string> {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const result = await acceptMessage(client, jobQueueFor(t.config.runtimeTransport), {
      deploymentId,
      trigger: 'MANUAL',
      payload: Buffer.from(payload, 'utf8'),
      contentType,
      acceptedBy: 'test',
    });
    await client.query('COMMIT');
    if (!result.messageId) throw new Error(`not accepted: ${result.outcome}`);
    return result.messageId;
  } finally {
    await client.end();
  }
}

export interface MessageView {
  id: string;
  status: string;
  attempts: number;
  error: { nodeId: string; code: string; message: string } | null;
}

/** Waits until every message is in one of `statuses` (or fails after `timeoutMs`). */
export async function waitFor(
  t: TestApp,
  ids: string[],
  statuses: string[] = ['SUCCEEDED'],
  timeoutMs = 30_000,
): Promise<MessageView[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await t.db.pool.query<MessageView>(
      `SELECT id, status, attempts, error FROM runtime_messages WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    if (rows.length === ids.length && rows.every((r) => statuses.includes(r.status))) return rows;
    if (Date.now() > until)
      throw new Error(
        `messages not ${statuses.join('/')} after ${timeoutMs} ms: ${JSON.stringify(rows.filter((r) => !statuses.includes(r.status)).slice(0, 5))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until at least `count` of the messages SUCCEEDED (a batch under way). */
export async function waitForSucceeded(t: TestApp, ids: string[], count: number): Promise<void> {
  for (;;) {
    const done = await t.db.count(
      `SELECT count(*)::int AS n FROM runtime_messages
        WHERE id = ANY($1::uuid[]) AND status = 'SUCCEEDED'`,
      [ids],
    );
    if (done >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function stepsOf(t: TestApp, messageId: string) {
  const { rows } = await t.db.pool.query<{
    attempt: number;
    node_id: string;
    kind: string;
    status: string;
    detail: Record<string, unknown> | null;
    error: { code: string; message: string } | null;
    snapshot: string | null;
  }>(
    `SELECT attempt, node_id, kind, status, detail, error, snapshot FROM runtime_steps
      WHERE message_id = $1 ORDER BY started_at, attempt`,
    [messageId],
  );
  return rows;
}

/** What a deployment's triggers accepted: its messages, by source reference. */
export async function deploymentMessages(t: TestApp, deploymentId: string) {
  const { rows } = await t.db.pool.query<{
    id: string;
    status: string;
    source_ref: string;
    trigger: string;
    idempotency_key: string;
  }>(
    `SELECT id, status, source_ref, trigger, idempotency_key FROM runtime_messages
      WHERE deployment_id = $1 ORDER BY source_ref`,
    [deploymentId],
  );
  return rows;
}

/** Waits until a deployment's triggers accepted at least `count` messages; answers them. */
export async function waitForAccepted(
  t: TestApp,
  deploymentId: string,
  count: number,
  timeoutMs = 30_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await deploymentMessages(t, deploymentId);
    if (rows.length >= count) return rows;
    if (Date.now() > until)
      throw new Error(`${rows.length} of ${count} messages accepted after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One request an HTTP target received. */
export interface Received {
  method: string;
  url: string;
  idempotencyKey: string | undefined;
  contentType: string | undefined;
  body: string;
}

/**
 * A real HTTP receiver on 127.0.0.1: GET /health answers 200 (connection tests); every other
 * request is recorded and answered by `answer` (default 202). Deduplicates nothing itself:
 * `byKey` counts what arrived per Idempotency-Key.
 */
export async function startReceiver(
  answer: (request: Received, index: number) => number = () => 202,
): Promise<{
  url: string;
  received: Received[];
  accepted: Received[];
  setAnswer(next: (request: Received, index: number) => number): void;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const accepted: Received[] = [];
  let respond = answer;
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/health')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    read(req).then(
      (body) => {
        const request: Received = {
          method: req.method ?? '',
          url: req.url ?? '',
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
          contentType: req.headers['content-type'],
          body,
        };
        received.push(request);
        const status = respond(request, received.length - 1);
        if (status >= 200 && status < 300) accepted.push(request);
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"received":true}');
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    accepted,
    setAnswer: (next) => (respond = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Creates an adapter through the API and passes its DEV connection test: its id. */
export async function readyAdapter(
  t: TestApp,
  packageId: string,
  body: Record<string, unknown>,
): Promise<string> {
  const { id } = await createVia<{ id: string }>(t, packageId, 'adapters', body);
  if (!(await connectionTest(t, { packageId }, id, 'DEV')))
    throw new Error(`the DEV connection test of ${String(body['name'])} failed`);
  return id;
}

/** Creates an HTTP target adapter (message schema `schema`) and passes its DEV connection test. */
export function httpTarget(
  t: TestApp,
  kit: Pick<ReadyKit, 'packageId' | 'outSchema'>,
  name: string,
  baseUrl: string,
): Promise<string> {
  return readyAdapter(t, kit.packageId, {
    name,
    adapterType: 'HTTP',
    direction: 'TARGET',
    configuration: {
      baseUrl,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      healthPath: '/health',
      retries: { maxAttempts: 1 },
    },
    schemas: { message: kit.outSchema },
  });
}

type Node = Record<string, unknown>;

/** A flow's source node `in`: the adapter and its trigger. */
export const sourceNode = (adapterId: string, trigger: Record<string, unknown>): Node => ({
  id: 'in',
  kind: 'source',
  position: { x: 0, y: 0 },
  adapter: { assetId: adapterId },
  trigger,
});

/** The kit's nodes in → check → map, then what the test adds. */
export function head(kit: ReadyKit): Node[] {
  return [
    sourceNode(kit.source, { type: 'manual' }),
    { id: 'check', kind: 'validate', position: { x: 1, y: 0 }, schema: { assetId: kit.inSchema } },
    { id: 'map', kind: 'map', position: { x: 2, y: 0 }, mapping: { assetId: kit.mapping } },
  ];
}

export const target = (id: string, adapterId: string): Node => ({
  id,
  kind: 'target',
  position: { x: 4, y: 0 },
  adapter: { assetId: adapterId },
});

/** Creates a flow of `nodes`/`edges`, makes it READY and deploys it to DEV: the deployment id. */
export async function deployFlow(
  t: TestApp,
  kit: Pick<ReadyKit, 'packageId'>,
  name: string,
  nodes: Node[],
  edges: { from: string; to: string; branch?: string }[],
): Promise<{ flowId: string; deploymentId: string }> {
  const flow = await createFlow(t, kit.packageId, { name, nodes, edges });
  if (!flow.valid) throw new Error(`flow ${name}: ${JSON.stringify(flow.problems)}`);
  const ready = await t.request({
    method: 'POST',
    url: `/api/packages/${kit.packageId}/flows/${flow.id}/transitions`,
    payload: { to: 'READY' },
  });
  if (ready.statusCode !== 200) throw new Error(`READY: ${ready.statusCode} ${ready.body}`);
  const deployment = await deployed(deploymentRoutes(t, kit.packageId, flow.id).deploy('DEV'));
  return { flowId: flow.id, deploymentId: deployment.id };
}

/** The kit's source → validate → map → one target (`targetId`, the node `out`), deployed in DEV. */
export function deployLine(
  t: TestApp,
  kit: ReadyKit,
  name: string,
  targetId: string = kit.target,
): Promise<{ flowId: string; deploymentId: string }> {
  return deployFlow(
    t,
    kit,
    name,
    [...head(kit), target('out', targetId)],
    [
      { from: 'in', to: 'check' },
      { from: 'check', to: 'map' },
      { from: 'map', to: 'out' },
    ],
  );
}

/** The kit's source → validate → map, then an HTTP target posting to `url`, deployed in DEV. */
export async function deployToHttp(
  t: TestApp,
  kit: ReadyKit,
  name: string,
  url: string,
): Promise<{ flowId: string; deploymentId: string }> {
  return deployLine(t, kit, name, await httpTarget(t, kit, `${name} receiver`, url));
}

/** A package with the readiness kit (FILE source → validate {total} → map amount=total → FILE target). */
export async function kitIn(t: TestApp, name: string): Promise<ReadyKit> {
  const pkg = await createPackage(t, name);
  return createReadyKit(t, pkg, name);
}

export type { RuntimeWorker };
