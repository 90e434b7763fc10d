import { withTimeout as withDeadline } from '@integrixs/adapters';
import { type FlowNode } from '@integrixs/domain';
import { type PayloadSide } from '@integrixs/mapping-engine';

import { type DeploymentAssets } from './deployment-assets';
import { PermanentStepError } from './engines';
import {
  type ExecutorContext,
  type MessageRow,
  type Payload,
  type StepFailure,
} from './executor-context';
import { prepared } from './prepared-statements';
import { type SqlClient } from './runtime-types';
import { deliver, type Delivered } from './targets';

/**
 * The steps of a flow (validate, map, route, target, …) on a message's pinned assets, each
 * bounded by a timeout, and how an attempt is recorded (runtime_steps, runtime_effects).
 */

/** `work`, or past `ms` a `step_timeout` error naming the step. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return withDeadline(work, ms, what, () =>
    Object.assign(new Error(`${what} did not finish within ${ms} ms`), { code: 'step_timeout' }),
  );
}

const contentTypeOf = (side: PayloadSide) =>
  side.format === 'JSON' ? 'application/json' : 'application/xml';

/** The schema view a resumed payload has: that of the nearest validate or map before the node. */
export async function upstreamSide(
  ctx: ExecutorContext,
  deployment: DeploymentAssets,
  nodeId: string,
): Promise<PayloadSide | undefined> {
  const seen = new Set<string>();
  let frontier = [nodeId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of deployment.content.edges.filter((e) => e.to === id)) {
        if (seen.has(edge.from)) continue;
        seen.add(edge.from);
        const node = deployment.nodes.get(edge.from);
        if (node?.kind === 'validate') {
          const schema = schemaFor(ctx, deployment, node);
          return ctx.engines.side(schema, node.schema.root ?? null).catch(() => undefined);
        }
        if (node?.kind === 'map') {
          const mapping = mappingFor(deployment, node);
          return ctx.engines
            .side(ctx.engines.schemaOf(deployment, mapping.targetSchema), mapping.targetSchema.root)
            .catch(() => undefined);
        }
        next.push(edge.from);
      }
    }
    frontier = next;
  }
  return undefined;
}

function pinnedVersion(
  deployment: DeploymentAssets,
  assetId: string,
  explicit: number | null | undefined,
  kind: 'schemas' | 'mappings' | 'adapters',
): number {
  if (explicit) return explicit;
  const versions = [...deployment[kind].keys()]
    .filter((k) => k.startsWith(`${assetId.toLowerCase()}@`))
    .map((k) => Number(k.split('@')[1]));
  if (versions.length === 0) throw new Error(`asset ${assetId} is not pinned by the deployment`);
  return Math.max(...versions);
}

/** The pinned schema a validate step checks against. */
function schemaFor(
  ctx: Pick<ExecutorContext, 'engines'>,
  deployment: DeploymentAssets,
  node: Extract<FlowNode, { kind: 'validate' }>,
) {
  return ctx.engines.schemaOf(deployment, {
    assetId: node.schema.assetId,
    version: pinnedVersion(deployment, node.schema.assetId, node.schema.version, 'schemas'),
  });
}

function mappingFor(deployment: DeploymentAssets, node: Extract<FlowNode, { kind: 'map' }>) {
  const version = pinnedVersion(deployment, node.mapping.assetId, node.mapping.version, 'mappings');
  const mapping = deployment.mappings.get(`${node.mapping.assetId.toLowerCase()}@${version}`);
  if (!mapping) throw new Error(`mapping ${node.mapping.assetId} is not pinned by the deployment`);
  return mapping;
}

function adapterFor(
  deployment: DeploymentAssets,
  ref: { assetId: string; version?: number | null },
) {
  const version = pinnedVersion(deployment, ref.assetId, ref.version, 'adapters');
  const adapter = deployment.adapters.get(`${ref.assetId.toLowerCase()}@${version}`);
  if (!adapter) throw new Error(`adapter ${ref.assetId} is not pinned by the deployment`);
  return adapter;
}

export interface StepResult {
  output: Payload;
  detail: Record<string, unknown>;
  /** Where the message goes next (a route's branch); all outgoing edges when absent. */
  branch?: string;
  /** For targets: what the target answered (the snapshot), else the output. */
  snapshot?: string;
  effect?: Delivered;
  skipped?: boolean;
}

/**
 * What an attempt knows about a message's effects without asking the ledger: on the first run
 * of an original message (attempt 1, not a replay: its origin is itself) no effect of its origin
 * can exist except those this run recorded (`done`).
 */
export interface EffectLedger {
  firstRun: boolean;
  done: Set<string>;
}

export function effectLedgerOf(message: MessageRow): EffectLedger {
  return {
    firstRun:
      message.attempts === 1 && message.trigger !== 'REPLAY' && message.origin_id === message.id,
    done: new Set(),
  };
}

export async function runStep(
  ctx: ExecutorContext,
  message: MessageRow,
  deployment: DeploymentAssets,
  node: FlowNode,
  payload: Payload,
  ledger?: EffectLedger,
): Promise<StepResult> {
  switch (node.kind) {
    case 'source':
      return { output: payload, detail: { passed: true } };
    case 'validate': {
      const schema = schemaFor(ctx, deployment, node);
      const result = await ctx.engines.validate(schema, node.schema.root, payload.text);
      if (!result.valid)
        throw new PermanentStepError(
          `the message is not valid: ${result.errors
            .slice(0, 3)
            .map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`)
            .join('; ')}`,
          'invalid',
          {
            schemaId: schema.assetId,
            schemaVersion: schema.version,
            errors: result.errors.slice(0, 20),
          },
        );
      const side = await ctx.engines.side(schema, node.schema.root ?? null).catch(() => undefined);
      return {
        output: { ...payload, side: side ?? payload.side },
        detail: { schemaId: schema.assetId, schemaVersion: schema.version, valid: true },
        snapshot: '',
      };
    }
    case 'map': {
      const mapping = mappingFor(deployment, node);
      const { output, target } = await ctx.engines.transform(deployment, mapping, payload.text);
      return {
        output: { text: output, contentType: contentTypeOf(target), payloadId: null, side: target },
        detail: { mappingId: mapping.assetId, mappingVersion: mapping.version },
      };
    }
    case 'route': {
      const input = ctx.engines.routeInput(payload.text, payload.side, payload.contentType);
      const { branch, matched } = await ctx.engines.route(node.routes, node.defaultBranch, input);
      return { output: payload, detail: { branch, matched }, branch, snapshot: '' };
    }
    case 'target': {
      const adapter = adapterFor(deployment, node.adapter);
      const unknown = !ledger?.firstRun || ledger.done.has(node.id);
      const { rows } = unknown
        ? await ctx.pool.query<{ message_id: string; detail: unknown }>(
            `SELECT message_id, detail FROM runtime_effects WHERE origin_id = $1 AND node_id = $2`,
            [message.origin_id, node.id],
          )
        : { rows: [] };
      if (rows[0])
        return {
          output: payload,
          detail: {
            target: adapter.name,
            skipped: 'already delivered',
            byMessage: rows[0].message_id,
          },
          skipped: true,
        };
      const delivered = await deliver(adapter, {
        originId: message.origin_id,
        nodeId: node.id,
        text: payload.text,
        contentType: payload.contentType,
        policy: ctx.policy,
      });
      return {
        output: payload,
        detail: delivered.detail,
        effect: delivered,
        snapshot: delivered.answer ?? '',
      };
    }
    case 'errorHandler':
      return { output: payload, detail: {} };
  }
}

export function failureOf(nodeId: string, error: unknown): StepFailure {
  const e = error as {
    name?: string;
    message?: string;
    code?: unknown;
    detail?: unknown;
    limit?: string;
  };
  const detail =
    e.detail && typeof e.detail === 'object' ? (e.detail as Record<string, unknown>) : undefined;
  if (error instanceof PermanentStepError)
    return {
      nodeId,
      code: error.code,
      message: error.message,
      retryable: false,
      ...(detail ? { detail } : {}),
    };
  // A mapping that fails on this input fails on every attempt; a limit (time, memory) may not.
  const permanent =
    e.name === 'MappingRuntimeError' ||
    e.name === 'CanonicalError' ||
    e.name === 'MappingCompileError';
  return {
    nodeId,
    code:
      typeof e.code === 'string'
        ? e.code
        : e.name === 'MappingLimitError'
          ? `${e.limit ?? 'time'}_limit`
          : permanent
            ? 'mapping_failed'
            : 'failed',
    message: String(e.message ?? error).slice(0, 2000),
    retryable: !permanent,
    ...(detail ? { detail } : {}),
  };
}

/** One step attempt as runtime_steps keeps it. */
export interface StepRecord {
  nodeId: string;
  kind: string;
  status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  startedAt: Date;
  durationMs: number;
  detail?: Record<string, unknown> | null;
  error?: { code: string; message: string } | null;
  snapshot?: string | null;
}

/**
 * An INSERT of step attempts as one statement (embeddable in a WITH): `$p` the message id,
 * `$p+1` the attempt, `$p+2` the steps as JSON (see {@link stepsJson}).
 */
export function insertStepsSql(p: number): string {
  return `INSERT INTO runtime_steps (message_id, attempt, node_id, kind, status, started_at,
                                    duration_ms, detail, error, snapshot)
          SELECT $${p}::uuid, $${p + 1}::int, s.node_id, s.kind, s.status, s.started_at,
                 s.duration_ms, s.detail, s.error, s.snapshot
            FROM jsonb_to_recordset($${p + 2}::jsonb)
                 AS s(node_id text, kind text, status text, started_at timestamptz,
                      duration_ms int, detail jsonb, error jsonb, snapshot text)`;
}

/** Step attempts as the JSON {@link insertStepsSql} reads. */
export function stepsJson(steps: readonly StepRecord[]): string {
  return JSON.stringify(
    steps.map((step) => ({
      node_id: step.nodeId,
      kind: step.kind,
      status: step.status,
      started_at: step.startedAt.toISOString(),
      duration_ms: step.durationMs,
      detail: step.detail ?? null,
      error: step.error ?? null,
      snapshot: step.snapshot ?? null,
    })),
  );
}

/** recordSteps' statement, and recordEffectWithSteps' (the ledger row first). */
const STEPS_SQL = prepared(insertStepsSql(1));
const EFFECT_WITH_STEPS_SQL = prepared(
  `WITH effect AS (${insertEffectSql(1, 4)}) ${insertStepsSql(1)}`,
);

/** Writes step attempts of `message` (one statement; none when `steps` is empty). */
export async function recordSteps(
  db: SqlClient,
  message: Pick<MessageRow, 'id' | 'attempts'>,
  steps: readonly StepRecord[],
): Promise<void> {
  if (steps.length === 0) return;
  await db.query(STEPS_SQL, [message.id, message.attempts, stepsJson(steps)]);
}

/** Writes one step attempt of `message`. */
export function recordStep(
  db: SqlClient,
  message: Pick<MessageRow, 'id' | 'attempts'>,
  step: StepRecord,
): Promise<void> {
  return recordSteps(db, message, [step]);
}

/**
 * Records that a target's effect happened (its ledger row) together with the step attempts not
 * written yet, the target's own among them: one statement, so both commit or neither does.
 */
export async function recordEffectWithSteps(
  db: SqlClient,
  message: Pick<MessageRow, 'id' | 'origin_id' | 'attempts'>,
  nodeId: string,
  detail: Record<string, unknown>,
  steps: readonly StepRecord[],
): Promise<void> {
  await db.query(EFFECT_WITH_STEPS_SQL, [
    message.id,
    message.attempts,
    stepsJson(steps),
    message.origin_id,
    nodeId,
    detail,
  ]);
}

/**
 * An INSERT of a target's ledger row as one statement (embeddable in a WITH): `$m` the message
 * id, `$p` its origin, `$p+1` the node (none written when null), `$p+2` the detail.
 */
export function insertEffectSql(m: number, p: number): string {
  return `INSERT INTO runtime_effects (origin_id, node_id, message_id, detail)
          SELECT $${p}::uuid, $${p + 1}::text, $${m}::uuid, $${p + 2}::jsonb
           WHERE $${p + 1}::text IS NOT NULL
          ON CONFLICT (origin_id, node_id) DO NOTHING`;
}

/** Records that a target's effect happened (the idempotency ledger, keyed by origin and node). */
export async function recordEffect(
  db: SqlClient,
  message: Pick<MessageRow, 'id' | 'origin_id'>,
  nodeId: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await db.query(
    `INSERT INTO runtime_effects (origin_id, node_id, message_id, detail)
     VALUES ($1, $2, $3, $4) ON CONFLICT (origin_id, node_id) DO NOTHING`,
    [message.origin_id, nodeId, message.id, detail],
  );
}
