import { createHash } from 'node:crypto';

import { type FlowNode } from '@integrixs/domain';

import { type DeploymentAssets } from './deployment-assets';
import {
  type ExecutorContext,
  type MessageRow,
  type Payload,
  type StepFailure,
} from './executor-context';
import { failureOf, recordEffect, recordStep, runStep, withTimeout } from './message-steps';
import { inTransaction } from './pg-transaction';
import { type MessageEvent } from './runtime-observer';
import { retryDelayMs } from './runtime-settings';
import { type SqlClient } from './runtime-types';

/** Stores the failed step's input as a payload (unless it is a stored row already). */
async function storedInput(db: SqlClient, messageId: string, nodeId: string, input: Payload) {
  if (input.payloadId) return input.payloadId;
  const content = Buffer.from(input.text, 'utf8');
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO runtime_payloads (message_id, role, node_id, content_type, size_bytes, sha256, content)
     VALUES ($1, 'STEP_INPUT', $2, $3, $4, $5, $6) RETURNING id`,
    [
      messageId,
      nodeId,
      input.contentType,
      content.length,
      createHash('sha256').update(content).digest('hex'),
      content,
    ],
  );
  return rows[0].id;
}

/**
 * After a failed attempt, in one transaction: another attempt from the failed step (RETRYING,
 * its input stored, the job enqueued for after the backoff) or, after the last attempt or a
 * failure no retry can fix, DEAD_LETTERED with a dead letter holding the error and the input.
 */
export async function fail(
  ctx: ExecutorContext,
  message: MessageRow,
  deployment: DeploymentAssets | null,
  failure: StepFailure,
  input: Payload,
  finished: Date,
): Promise<'RETRYING' | 'DEAD_LETTERED'> {
  const retry = failure.retryable && message.attempts < ctx.settings.maxAttempts;
  const error = {
    nodeId: failure.nodeId,
    code: failure.code,
    message: failure.message,
    attempt: message.attempts,
  };
  return inTransaction(ctx.pool, async (db) => {
    const payloadId = await storedInput(db, message.id, failure.nodeId, input);
    const resumeNode = failure.nodeId === 'load' ? message.resume_node_id : failure.nodeId;
    if (retry) {
      const runAt = new Date(finished.getTime() + retryDelayMs(message.attempts, ctx.settings));
      await db.query(
        `UPDATE runtime_messages
            SET status = 'RETRYING', worker_id = NULL, error = $2, next_attempt_at = $3,
                resume_node_id = $4, resume_payload_id = $5
          WHERE id = $1`,
        [message.id, error, runAt, resumeNode, resumeNode ? payloadId : message.resume_payload_id],
      );
      await ctx.queue.enqueue(db, { messageId: message.id, runAt, flowId: message.flow_id });
      return 'RETRYING' as const;
    }
    await db.query(
      `UPDATE runtime_messages
          SET status = 'DEAD_LETTERED', worker_id = NULL, error = $2, finished_at = $3,
              next_attempt_at = NULL, resume_node_id = $4, resume_payload_id = $5,
              duration_ms = GREATEST(0, (extract(epoch FROM ($3 - COALESCE(started_at, $3))) * 1000)::int)
        WHERE id = $1`,
      [message.id, error, finished, resumeNode, resumeNode ? payloadId : message.resume_payload_id],
    );
    await db.query(
      `INSERT INTO runtime_dead_letters (message_id, package_id, flow_id, deployment_id,
                                         environment_id, node_id, error, payload_id, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (message_id) DO NOTHING`,
      [
        message.id,
        message.package_id,
        message.flow_id,
        deployment?.id ?? message.deployment_id,
        message.environment_id,
        failure.nodeId,
        error,
        payloadId,
        message.attempts,
      ],
    );
    return 'DEAD_LETTERED' as const;
  });
}

/**
 * A flow whose error handler sends to an adapter: the dead-lettered message's failed input goes
 * there too (once per origin, keyed like any target effect), recorded as the handler's step.
 * Its failure is recorded and does not change the message (the dead letter holds it already).
 */
export async function deliverToErrorHandler(
  ctx: ExecutorContext,
  message: MessageRow,
  deployment: DeploymentAssets,
  base: MessageEvent,
  failed: { failure: StepFailure; input: Payload },
): Promise<void> {
  const handler = deployment.errorHandler;
  if (!handler || handler.destination !== 'adapter' || !handler.adapter) return;
  const node: FlowNode = { ...handler, kind: 'target', adapter: handler.adapter };
  const startedAt = new Date();
  const began = performance.now();
  let status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED' = 'SUCCEEDED';
  let detail: Record<string, unknown> = { failedNode: failed.failure.nodeId };
  let error: { code: string; message: string } | null = null;
  try {
    const result = await withTimeout(
      runStep(ctx, message, deployment, node, failed.input),
      ctx.settings.stepTimeoutMs,
      `error handler "${handler.id}"`,
    );
    detail = { ...detail, ...result.detail };
    if (result.skipped) status = 'SKIPPED';
    if (result.effect) await recordEffect(ctx.pool, message, handler.id, result.detail);
  } catch (e) {
    status = 'FAILED';
    const f = failureOf(handler.id, e);
    error = { code: f.code, message: f.message };
  }
  const durationMs = Math.round(performance.now() - began);
  await recordStep(ctx.pool, message, {
    nodeId: handler.id,
    kind: 'errorHandler',
    status,
    startedAt,
    durationMs,
    detail,
    error,
  });
  ctx.observer.stepFinished({
    ...base,
    nodeId: handler.id,
    kind: 'errorHandler',
    status,
    startedAt,
    durationMs,
    ...(error ? { error } : {}),
  });
}
