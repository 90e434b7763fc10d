import { createHash } from 'node:crypto';

import { type JobQueue } from './job-queue';
import { type MessageTrigger, type SqlClient } from './runtime-types';

/** The default cap on one stored payload (RUNTIME_MAX_PAYLOAD_BYTES overrides it). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface AcceptMessageInput {
  deploymentId: string;
  trigger: MessageTrigger;
  payload: Buffer;
  contentType: string;
  /** Where it came from: a file name, a mail uid, an HTTP request id. */
  sourceRef?: string | null;
  /** A caller's key: the same key for the same flow and environment answers the first message. */
  idempotencyKey?: string | null;
  /** Who accepted it: a user id, a token id, or `runtime:<trigger>`. */
  acceptedBy: string;
  maxPayloadBytes?: number;
  /**
   * False: a deployment in a protected environment does not accept it (`not-active`), checked
   * under the same lock as its state. Default true (the runtime's own triggers).
   */
  mayOperateProtected?: boolean;
}

export type AcceptMessageResult =
  | { outcome: 'accepted' | 'duplicate'; messageId: string }
  | { outcome: 'not-active'; messageId: null }
  | { outcome: 'too-large'; messageId: null; limit: number };

/**
 * Makes a message durable: the payload row, the message row (QUEUED, on the deployment's pin
 * set) and its job, all in the caller's transaction — the caller commits, then answers. Only a
 * DEPLOYED deployment accepts (SUSPENDED and UNDEPLOYED answer `not-active`). A repeated
 * idempotency key answers the first message's id and stores nothing.
 */
export async function acceptMessage(
  client: SqlClient,
  queue: JobQueue,
  input: AcceptMessageInput,
): Promise<AcceptMessageResult> {
  const limit = input.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (input.payload.length > limit) return { outcome: 'too-large', messageId: null, limit };
  // The usual case in one statement: the deployment, still DEPLOYED (locked against a suspend
  // or undeploy until the caller commits), gets the message row.
  const inserted = await client.query<{ id: string; flow_id: string }>(
    `INSERT INTO runtime_messages (id, origin_id, package_id, flow_id, deployment_id,
                                   environment_id, trigger, source_ref, idempotency_key,
                                   size_bytes, created_by)
     SELECT new_id, new_id, d.package_id, d.flow_id, d.id, d.environment_id, $2, $3, $4, $5, $6
       FROM (SELECT d.id, d.package_id, d.flow_id, d.environment_id
               FROM flow_deployments d JOIN environments e ON e.id = d.environment_id
              WHERE d.id = $1 AND d.state = 'DEPLOYED' AND ($7 OR NOT e.protected)
                FOR SHARE OF d) d,
            gen_random_uuid() AS new_id
     ON CONFLICT (flow_id, environment_id, idempotency_key) WHERE idempotency_key IS NOT NULL
       DO NOTHING
     RETURNING id, flow_id`,
    [
      input.deploymentId,
      input.trigger,
      input.sourceRef ?? null,
      input.idempotencyKey ?? null,
      input.payload.length,
      input.acceptedBy,
      input.mayOperateProtected ?? true,
    ],
  );
  // Not active, or a repeated idempotency key: which one.
  if (!inserted.rows[0]) return answerUnstored(client, input);
  const messageId = inserted.rows[0].id;
  await client.query(
    `WITH payload AS (
       INSERT INTO runtime_payloads (message_id, role, content_type, size_bytes, sha256, content)
       VALUES ($1, 'INPUT', $2, $3, $4, $5) RETURNING id)
     UPDATE runtime_messages SET input_payload_id = (SELECT id FROM payload) WHERE id = $1`,
    [
      messageId,
      input.contentType,
      input.payload.length,
      createHash('sha256').update(input.payload).digest('hex'),
      input.payload,
    ],
  );
  await queue.enqueue(client, { messageId, flowId: inserted.rows[0].flow_id });
  return { outcome: 'accepted', messageId };
}

/** Why a message was not stored: its key names an earlier message (`duplicate`), or not active. */
export async function answerUnstored(
  client: SqlClient,
  input: Pick<AcceptMessageInput, 'deploymentId' | 'idempotencyKey'>,
): Promise<AcceptMessageResult> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT m.id FROM flow_deployments d
       JOIN runtime_messages m ON m.flow_id = d.flow_id AND m.environment_id = d.environment_id
      WHERE d.id = $1 AND d.state = 'DEPLOYED' AND m.idempotency_key = $2`,
    [input.deploymentId, input.idempotencyKey ?? null],
  );
  return rows[0]
    ? { outcome: 'duplicate', messageId: rows[0].id }
    : { outcome: 'not-active', messageId: null };
}
