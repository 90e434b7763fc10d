import { type DeploymentAssets } from './deployment-assets';
import { PermanentStepError } from './engines';
import {
  type ExecutorContext,
  type MessageRow,
  type Payload,
  type StepFailure,
} from './executor-context';
import { deliverToErrorHandler, fail } from './message-failure';
import {
  effectLedgerOf,
  failureOf,
  insertEffectSql,
  insertStepsSql,
  recordEffectWithSteps,
  recordSteps,
  runStep,
  stepsJson,
  upstreamSide,
  withTimeout,
  type StepRecord,
  type StepResult,
} from './message-steps';
import { inTransaction } from './pg-transaction';
import { prepared } from './prepared-statements';
import { rateLimitOf, throttle } from './rate-limit';
import { type MessageEvent } from './runtime-observer';
import { type SqlClient } from './runtime-types';
import { snapshotOf } from './snapshot';

export type { ExecutorContext } from './executor-context';

/** THROTTLED: the flow's rate limit put the message back, its job enqueued for later. */
export type RunOutcome =
  'SUCCEEDED' | 'RETRYING' | 'DEAD_LETTERED' | 'CANCELLED' | 'PARKED' | 'SKIPPED' | 'THROTTLED';

/** Whether a worker id belongs to a worker whose heartbeat is fresh. */
async function workerAlive(db: SqlClient, workerId: string, staleAfterMs: number) {
  const { rows } = await db.query(
    `SELECT 1 FROM runtime_workers
      WHERE id = $1 AND heartbeat_at > now() - make_interval(secs => $2::float8 / 1000)`,
    [workerId, staleAfterMs],
  );
  return rows.length > 0;
}

/**
 * Runs (or resumes) one message: the body of the RUN_MESSAGE_TASK job. Every change of the
 * message's state is one transaction; the job is complete when this returns. It throws only
 * when the database fails under it (graphile-worker then retries the job with its own backoff,
 * and the message, still RUNNING on this worker, is claimed again).
 */
export async function runMessage(ctx: ExecutorContext, messageId: string): Promise<RunOutcome> {
  const claimed = await claim(ctx, messageId);
  if (typeof claimed === 'string') return claimed;
  const { message, deployment } = claimed;
  const attemptStarted = new Date();
  const base: MessageEvent = {
    packageId: message.package_id,
    flowId: message.flow_id,
    deploymentId: message.deployment_id,
    environmentId: message.environment_id,
    environment: deployment.environment,
    messageId: message.id,
    trigger: message.trigger,
    attempt: message.attempts,
  };
  const limit = rateLimitOf(deployment.content);
  const until = limit && (await throttle(ctx, message, limit));
  if (until) {
    ctx.observer.messageThrottled({ ...base, attempt: message.attempts - 1, until });
    return 'THROTTLED';
  }
  ctx.observer.messageStarted({ ...base, startedAt: attemptStarted });

  const payload =
    claimed.payload ??
    (await loadPayload(ctx.pool, message.resume_payload_id ?? message.input_payload_id));
  let start: string[];
  if (message.resume_node_id) {
    start = [message.resume_node_id];
    payload.side = await upstreamSide(ctx, deployment, message.resume_node_id);
  } else {
    const source = deployment.content.nodes.find((n) => n.kind === 'source');
    start = source ? (deployment.edges.get(source.id) ?? []).map((e) => e.to) : [];
  }

  // Step attempts (and the last effect) not written yet: they go with the final state change.
  const unwritten: Unwritten = { steps: [] };
  const failure = await walk(ctx, message, deployment, base, start, payload, unwritten);
  const finished = new Date();
  const durationMs = finished.getTime() - attemptStarted.getTime();
  const waitedMs = Math.max(0, attemptStarted.getTime() - message.received_at.getTime());
  if (!failure) {
    // worker_id stays: the worker that ran the successful attempt (operations, scale-out test).
    await ctx.pool.query(SUCCEEDED_SQL, [
      message.id,
      finished,
      message.id,
      message.attempts,
      stepsJson(unwritten.steps),
      message.origin_id,
      unwritten.effect?.nodeId ?? null,
      unwritten.effect?.detail ?? null,
    ]);
    ctx.observer.messageFinished({
      ...base,
      status: 'SUCCEEDED',
      startedAt: attemptStarted,
      durationMs,
      waitedMs,
    });
    return 'SUCCEEDED';
  }
  const status = await fail(ctx, message, deployment, failure.failure, failure.input, finished);
  ctx.observer.messageFinished({
    ...base,
    status,
    startedAt: attemptStarted,
    durationMs,
    waitedMs,
    error: {
      nodeId: failure.failure.nodeId,
      code: failure.failure.code,
      message: failure.failure.message,
    },
  });
  if (status === 'DEAD_LETTERED')
    await deliverToErrorHandler(ctx, message, deployment, base, failure);
  return status;
}

/**
 * QUEUED/RETRYING (or RUNNING on a worker that died) → RUNNING, attempts + 1 — unless the flow
 * is suspended in the message's environment (parked until it is resumed) or undeployed
 * (CANCELLED; a replay runs on its pinned deployment regardless). The usual case is one
 * statement that also reads the payload (claimDeployed); every other case one transaction.
 */
async function claim(
  ctx: ExecutorContext,
  messageId: string,
): Promise<RunOutcome | { message: MessageRow; deployment: DeploymentAssets; payload?: Payload }> {
  const fast = await claimDeployed(ctx, messageId);
  const decision = fast?.message ?? (await claimInTransaction(ctx, messageId));
  if (typeof decision === 'string') return decision;
  try {
    const deployment = await ctx.assets.get(decision.deployment_id);
    return { message: decision, deployment, ...(fast ? { payload: fast.payload } : {}) };
  } catch (error) {
    // The deployment's assets cannot be loaded (a version gone, a key missing): a failed attempt.
    const failure: StepFailure = {
      nodeId: decision.resume_node_id ?? 'load',
      code: 'load_failed',
      message: (error as Error).message,
      retryable: true,
    };
    const payload =
      fast?.payload ??
      (await loadPayload(ctx.pool, decision.resume_payload_id ?? decision.input_payload_id));
    await fail(ctx, decision, null, failure, payload, new Date());
    return 'RETRYING';
  }
}

/** The message row's columns the executor reads. */
const MESSAGE_COLUMNS = `id, origin_id, package_id, flow_id, deployment_id, environment_id,
  trigger, status, attempts, input_payload_id, resume_node_id, resume_payload_id, received_at,
  started_at, worker_id, rate_slot_at`;

/** claimDeployed's statement: `$1` the message, `$2` this worker. */
const CLAIM_DEPLOYED_SQL = prepared(`WITH claimed AS (
       UPDATE runtime_messages m
          SET status = 'RUNNING', attempts = attempts + 1, worker_id = $2, parked_at = NULL,
              started_at = COALESCE(started_at, now()), next_attempt_at = NULL
        WHERE m.id = $1 AND m.status IN ('QUEUED', 'RETRYING')
          AND EXISTS (SELECT 1 FROM flow_deployments d
                       WHERE d.flow_id = m.flow_id AND d.environment_id = m.environment_id
                         AND d.state = 'DEPLOYED')
        RETURNING ${MESSAGE_COLUMNS},
                  COALESCE(resume_payload_id, input_payload_id) AS payload_id)
     SELECT c.*, p.content, p.content_type
       FROM claimed c LEFT JOIN runtime_payloads p ON p.id = c.payload_id`);

/**
 * A successful attempt's end in one statement: its effect (if not written yet), its step
 * attempts and SUCCEEDED. `$1` the message, `$2` the end, then insertStepsSql's and
 * insertEffectSql's parameters.
 */
const SUCCEEDED_SQL =
  prepared(`WITH effect AS (${insertEffectSql(1, 6)}), steps AS (${insertStepsSql(3)})
       UPDATE runtime_messages
          SET status = 'SUCCEEDED', finished_at = $2, error = NULL,
              next_attempt_at = NULL,
              duration_ms = GREATEST(0, (extract(epoch FROM ($2 - COALESCE(started_at, $2))) * 1000)::int)
        WHERE id = $1`);

/**
 * The usual claim in one statement: a QUEUED or RETRYING message of a DEPLOYED flow becomes
 * RUNNING on this worker, answered with its payload. Null when anything else holds (a message
 * RUNNING elsewhere, a suspended or undeployed flow, a replay): claimInTransaction decides then.
 */
async function claimDeployed(
  ctx: ExecutorContext,
  messageId: string,
): Promise<{ message: MessageRow; payload: Payload } | null> {
  const { rows } = await ctx.pool.query<
    MessageRow & { payload_id: string | null; content: Buffer | null; content_type: string | null }
  >(CLAIM_DEPLOYED_SQL, [messageId, ctx.workerId]);
  const row = rows[0];
  if (!row) return null;
  const { payload_id: payloadId, content, content_type: contentType, ...message } = row;
  if (payloadId && !content)
    throw new Error(`payload ${payloadId} does not exist (removed by retention?)`);
  const payload: Payload =
    payloadId && content
      ? { text: content.toString('utf8'), contentType: contentType ?? '', payloadId }
      : { text: '', contentType: 'application/octet-stream', payloadId: null };
  return { message, payload };
}

/** Every other claim, in one transaction with each check. */
async function claimInTransaction(ctx: ExecutorContext, messageId: string) {
  let cancelled: MessageRow | undefined;
  const decision = await inTransaction(ctx.pool, async (db): Promise<RunOutcome | MessageRow> => {
    const { rows } = await db.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM runtime_messages WHERE id = $1 FOR UPDATE`,
      [messageId],
    );
    const message = rows[0];
    if (!message) return 'SKIPPED' as const;
    if (!['QUEUED', 'RETRYING', 'RUNNING'].includes(message.status)) return 'SKIPPED' as const;
    if (
      message.status === 'RUNNING' &&
      message.worker_id &&
      message.worker_id !== ctx.workerId &&
      (await workerAlive(db, message.worker_id, ctx.settings.staleAfterMs))
    )
      return 'SKIPPED' as const; // another live worker runs it (a second job for the message)
    const { rows: active } = await db.query<{ state: string }>(
      `SELECT state FROM flow_deployments
        WHERE flow_id = $1 AND environment_id = $2 AND state <> 'UNDEPLOYED'`,
      [message.flow_id, message.environment_id],
    );
    const state = active[0]?.state;
    if (state === 'SUSPENDED') {
      await db.query(
        `UPDATE runtime_messages
            SET parked_at = now(), worker_id = NULL,
                status = CASE WHEN status = 'RUNNING' THEN 'RETRYING' ELSE status END
          WHERE id = $1`,
        [messageId],
      );
      return 'PARKED' as const;
    }
    if (state === undefined && message.trigger !== 'REPLAY') {
      await db.query(
        `UPDATE runtime_messages
            SET status = 'CANCELLED', finished_at = now(), worker_id = NULL, parked_at = NULL,
                error = $2
          WHERE id = $1`,
        [
          messageId,
          {
            code: 'undeployed',
            message: 'the flow was undeployed in this environment before the message ran',
          },
        ],
      );
      cancelled = message;
      return 'CANCELLED' as const;
    }
    const { rows: claimed } = await db.query<MessageRow>(
      `UPDATE runtime_messages
          SET status = 'RUNNING', attempts = attempts + 1, worker_id = $2, parked_at = NULL,
              started_at = COALESCE(started_at, now()), next_attempt_at = NULL
        WHERE id = $1
        RETURNING ${MESSAGE_COLUMNS}`,
      [messageId, ctx.workerId],
    );
    return claimed[0];
  });
  if (decision === 'CANCELLED' && cancelled)
    ctx.observer.messageCancelled({
      packageId: cancelled.package_id,
      flowId: cancelled.flow_id,
      deploymentId: cancelled.deployment_id,
      environmentId: cancelled.environment_id,
      messageId: cancelled.id,
    });
  return decision;
}

async function loadPayload(db: SqlClient, payloadId: string | null): Promise<Payload> {
  if (!payloadId) return { text: '', contentType: 'application/octet-stream', payloadId: null };
  const { rows } = await db.query<{ content: Buffer; content_type: string }>(
    prepared(`SELECT content, content_type FROM runtime_payloads WHERE id = $1`),
    [payloadId],
  );
  if (!rows[0]) throw new Error(`payload ${payloadId} does not exist (removed by retention?)`);
  return { text: rows[0].content.toString('utf8'), contentType: rows[0].content_type, payloadId };
}

/** Step attempts and an effect's ledger row not written yet (runMessage writes them). */
interface Unwritten {
  steps: StepRecord[];
  effect?: { nodeId: string; detail: Record<string, unknown> };
}

/**
 * Walks the graph from `start`; answers the first failure (and its step's input), or null. Step
 * attempts are written with the next effect (one statement with its ledger row), or on a
 * failure; those left in `unwritten` go with the message's final state (runMessage), and so does
 * the ledger row of an effect nothing runs after (the last target).
 */
async function walk(
  ctx: ExecutorContext,
  message: MessageRow,
  deployment: DeploymentAssets,
  base: MessageEvent,
  start: string[],
  input: Payload,
  unwritten: Unwritten,
): Promise<{ failure: StepFailure; input: Payload } | null> {
  const ledger = effectLedgerOf(message);
  const pending: { nodeId: string; payload: Payload }[] = start.map((nodeId) => ({
    nodeId,
    payload: input,
  }));
  while (pending.length > 0) {
    const { nodeId, payload } = pending.shift() as { nodeId: string; payload: Payload };
    const node = deployment.nodes.get(nodeId);
    const startedAt = new Date();
    const began = performance.now();
    let result: StepResult;
    try {
      if (!node) throw new PermanentStepError(`the flow has no node "${nodeId}"`, 'node_missing');
      result = await withTimeout(
        runStep(ctx, message, deployment, node, payload, ledger),
        ctx.settings.stepTimeoutMs,
        `step "${nodeId}"`,
      );
    } catch (error) {
      const durationMs = Math.round(performance.now() - began);
      const failure = failureOf(nodeId, error);
      await recordSteps(ctx.pool, message, [
        ...unwritten.steps.splice(0),
        {
          nodeId,
          kind: node?.kind ?? 'unknown',
          status: 'FAILED',
          startedAt,
          durationMs,
          detail: failure.detail,
          error: { code: failure.code, message: failure.message },
        },
      ]);
      ctx.observer.stepFinished({
        ...base,
        nodeId,
        kind: node?.kind ?? 'unknown',
        status: 'FAILED',
        startedAt,
        durationMs,
        error: { code: failure.code, message: failure.message },
      });
      return { failure, input: payload };
    }
    const durationMs = Math.round(performance.now() - began);
    const status = result.skipped ? 'SKIPPED' : 'SUCCEEDED';
    const snapshot =
      ctx.settings.snapshotBytes > 0
        ? snapshotOf(
            result.skipped ? null : (result.snapshot ?? result.output.text),
            ctx.settings.snapshotBytes,
            deployment.secretValues,
          )
        : null;
    const step = {
      nodeId,
      kind: node?.kind ?? 'unknown',
      status,
      startedAt,
      durationMs,
      detail: result.detail,
      snapshot,
    } as const;
    for (const edge of deployment.edges.get(nodeId) ?? [])
      if (result.branch === undefined || edge.branch === result.branch)
        pending.push({ nodeId: edge.to, payload: result.output });
    if (result.effect && pending.length > 0) {
      // The effect happened: its ledger row (and the steps so far) right away, in one statement.
      await recordEffectWithSteps(ctx.pool, message, nodeId, result.detail, [
        ...unwritten.steps.splice(0),
        step,
      ]);
    } else if (result.effect) {
      // Nothing runs after it: the ledger row goes with the final state, in the same statement.
      unwritten.effect = { nodeId, detail: result.detail };
    }
    if (result.effect) ledger.done.add(nodeId);
    if (!result.effect || pending.length === 0) unwritten.steps.push(step);
    ctx.observer.stepFinished({
      ...base,
      nodeId,
      kind: node?.kind ?? 'unknown',
      status,
      startedAt,
      durationMs,
    });
  }
  return null;
}
