import { createHash } from 'node:crypto';

import { type Response as InjectResponse } from 'light-my-request';

import { deployed, deploymentRoutes, readyFlow, type DeploymentView } from './deployments';
import { type ReadyKit } from './readiness';
import { type TestApp, type TestUser } from './test-app';

/** A READY flow (the readiness kit) deployed to each of `environments` by the administrator. */
export async function deployedFlow(
  t: TestApp,
  packageId: string,
  prefix: string,
  environments: string[],
): Promise<{ flowId: string; kit: ReadyKit; deployments: Record<string, DeploymentView> }> {
  const { flowId, assets } = await readyFlow(t, packageId, prefix);
  const routes = deploymentRoutes(t, packageId, flowId);
  const deployments: Record<string, DeploymentView> = {};
  for (const env of environments) deployments[env] = await deployed(routes.deploy(env));
  return { flowId, kit: assets, deployments };
}

/** POST /api/runtime/inbound/{flowKey}/{environment} with a raw body. */
export function sendInbound(
  t: TestApp,
  flowKey: string,
  environment: string,
  body: string | Buffer,
  options: { contentType?: string; idempotencyKey?: string; as?: TestUser | null } = {},
): Promise<InjectResponse> {
  return t.request({
    method: 'POST',
    url: `/api/runtime/inbound/${flowKey}/${environment}`,
    payload: body,
    headers: {
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    ...(options.as !== undefined ? { as: options.as } : {}),
  });
}

export interface SeededStep {
  nodeId: string;
  kind: string;
  status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  attempt?: number;
  durationMs?: number;
  error?: Record<string, unknown>;
  snapshot?: string;
}

export interface SeedMessage {
  deploymentId: string;
  status: string;
  trigger?: string;
  /** Seconds before now it was received (default 0). */
  ageSeconds?: number;
  durationMs?: number | null;
  sourceRef?: string;
  payload?: string;
  steps?: SeededStep[];
  /** Dead-letters it at this node, with this step input. */
  deadLetter?: { nodeId: string; input: string; contentType?: string };
}

export interface SeededMessage {
  messageId: string;
  inputPayloadId: string;
  deadLetterId: string | null;
  deadPayloadId: string | null;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Writes a message as the worker would have left it (message, INPUT payload, step rows, dead
 * letter with the failed step's input): the API reads these without a worker running.
 */
export async function seedMessage(t: TestApp, seed: SeedMessage): Promise<SeededMessage> {
  const client = await t.db.pool.connect();
  try {
    await client.query('BEGIN');
    const age = seed.ageSeconds ?? 0;
    const { rows } = await client.query<{ id: string }>(
      `WITH d AS (SELECT * FROM flow_deployments WHERE id = $1),
            ids AS (SELECT gen_random_uuid() AS id)
       INSERT INTO runtime_messages (id, origin_id, package_id, flow_id, deployment_id,
              environment_id, trigger, source_ref, status, attempts, size_bytes, received_at,
              started_at, finished_at, duration_ms, created_by, error)
       SELECT ids.id, ids.id, d.package_id, d.flow_id, d.id, d.environment_id, $2, $3, $4, 1,
              length($7::text), now() - make_interval(secs => $5),
              now() - make_interval(secs => $5),
              CASE WHEN $6::int IS NULL THEN NULL
                   ELSE now() - make_interval(secs => $5) + make_interval(secs => $6::int / 1000.0) END,
              $6, 'test', CASE WHEN $4 = 'DEAD_LETTERED' THEN '{"message":"refused"}'::jsonb END
         FROM d, ids RETURNING id`,
      [
        seed.deploymentId,
        seed.trigger ?? 'HTTP',
        seed.sourceRef ?? null,
        seed.status,
        age,
        seed.durationMs ?? null,
        seed.payload ?? '<in/>',
      ],
    );
    const messageId = rows[0].id;
    const payload = seed.payload ?? '<in/>';
    const input = await client.query<{ id: string }>(
      `INSERT INTO runtime_payloads (message_id, role, content_type, size_bytes, sha256, content)
       VALUES ($1, 'INPUT', 'application/xml', $2, $3, $4) RETURNING id`,
      [messageId, Buffer.byteLength(payload), sha(payload), Buffer.from(payload)],
    );
    await client.query(`UPDATE runtime_messages SET input_payload_id = $2 WHERE id = $1`, [
      messageId,
      input.rows[0].id,
    ]);
    let offset = 0;
    for (const step of seed.steps ?? []) {
      await client.query(
        `INSERT INTO runtime_steps (message_id, attempt, node_id, kind, status, started_at,
                duration_ms, error, snapshot, detail)
         SELECT $1, $2, $3, $4, $5, received_at + make_interval(secs => $6 / 1000.0), $7, $8, $9,
                '{"engine":"test"}'::jsonb
           FROM runtime_messages WHERE id = $1`,
        [
          messageId,
          step.attempt ?? 1,
          step.nodeId,
          step.kind,
          step.status,
          offset,
          step.durationMs ?? 5,
          step.error ?? null,
          step.snapshot ?? null,
        ],
      );
      offset += (step.durationMs ?? 5) + 1;
    }
    let deadLetterId: string | null = null;
    let deadPayloadId: string | null = null;
    if (seed.deadLetter) {
      const text = seed.deadLetter.input;
      const p = await client.query<{ id: string }>(
        `INSERT INTO runtime_payloads (message_id, role, node_id, content_type, size_bytes, sha256,
                content)
         VALUES ($1, 'STEP_INPUT', $2, $3, $4, $5, $6) RETURNING id`,
        [
          messageId,
          seed.deadLetter.nodeId,
          seed.deadLetter.contentType ?? 'application/json',
          Buffer.byteLength(text),
          sha(text),
          Buffer.from(text),
        ],
      );
      deadPayloadId = p.rows[0].id;
      const dl = await client.query<{ id: string }>(
        `INSERT INTO runtime_dead_letters (message_id, package_id, flow_id, deployment_id,
                environment_id, node_id, error, payload_id, attempts, created_at)
         SELECT id, package_id, flow_id, deployment_id, environment_id, $2,
                '{"message":"target refused"}'::jsonb, $3, 3, received_at
           FROM runtime_messages WHERE id = $1 RETURNING id`,
        [messageId, seed.deadLetter.nodeId, deadPayloadId],
      );
      deadLetterId = dl.rows[0].id;
    }
    await client.query('COMMIT');
    return { messageId, inputPayloadId: input.rows[0].id, deadLetterId, deadPayloadId };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** The graphile-worker jobs waiting for `messageId` (the runtime's one task). */
export async function jobsOf(t: TestApp, messageId: string): Promise<number> {
  return t.db.count(
    `SELECT count(*)::int AS n FROM graphile_worker.jobs
      WHERE task_identifier = 'integrixs.run-message' AND key = $1`,
    [messageId],
  );
}
