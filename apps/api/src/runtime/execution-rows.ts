import {
  type DeadLetterDto,
  type ExecutionDto,
  type PayloadInfoDto,
  type StepDto,
} from './dto/runtime.dto';

/** Timestamps as PostgreSQL writes them in JSON (microseconds kept, for cursors and display). */
export const ts = (column: string) => `to_json(${column})#>>'{}'`;

export interface ExecutionRow {
  id: string;
  origin_id: string;
  replay_of: string | null;
  flow_id: string;
  flow_name: string;
  deployment_id: string;
  environment: string;
  trigger: string;
  source_ref: string | null;
  idempotency_key: string | null;
  status: string;
  attempts: number;
  size_bytes: number;
  error: Record<string, unknown> | null;
  received_at: string;
  started_at: string | null;
  finished_at: string | null;
  next_attempt_at: string | null;
  duration_ms: number | null;
  resume_node_id: string | null;
  created_by: string;
  input_payload_id: string | null;
}

/** The columns of ExecutionRow, from `runtime_messages m` joined to `environments e`, `package_assets f`. */
export const EXECUTION_COLUMNS = `
  m.id, m.origin_id, m.replay_of, m.flow_id, f.name AS flow_name, m.deployment_id,
  e.code AS environment, m.trigger, m.source_ref, m.idempotency_key, m.status, m.attempts,
  m.size_bytes, m.error, ${ts('m.received_at')} AS received_at, ${ts('m.started_at')} AS started_at,
  ${ts('m.finished_at')} AS finished_at, ${ts('m.next_attempt_at')} AS next_attempt_at,
  m.duration_ms, m.resume_node_id, m.created_by, m.input_payload_id`;

export const EXECUTION_FROM = `
  FROM runtime_messages m
  JOIN environments e ON e.id = m.environment_id
  JOIN package_assets f ON f.id = m.flow_id`;

export function toExecutionDto(r: ExecutionRow): ExecutionDto {
  return {
    id: r.id,
    originId: r.origin_id,
    replayOf: r.replay_of,
    flowId: r.flow_id,
    flowName: r.flow_name,
    deploymentId: r.deployment_id,
    environment: r.environment,
    trigger: r.trigger,
    sourceRef: r.source_ref,
    idempotencyKey: r.idempotency_key,
    status: r.status,
    attempts: r.attempts,
    sizeBytes: r.size_bytes,
    error: r.error,
    receivedAt: r.received_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    nextAttemptAt: r.next_attempt_at,
    durationMs: r.duration_ms,
    resumeNodeId: r.resume_node_id,
    createdBy: r.created_by,
  };
}

export interface StepRow {
  id: string;
  attempt: number;
  node_id: string;
  kind: string;
  status: string;
  started_at: string;
  duration_ms: number;
  detail: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  snapshot: string | null;
}

export const STEP_COLUMNS = `id, attempt, node_id, kind, status, ${ts('started_at')} AS started_at,
  duration_ms, detail, error, snapshot`;

export function toStepDto(r: StepRow): StepDto {
  return {
    id: r.id,
    attempt: r.attempt,
    nodeId: r.node_id,
    kind: r.kind,
    status: r.status,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    detail: r.detail,
    error: r.error,
    snapshot: r.snapshot,
  };
}

export interface DeadLetterRow {
  id: string;
  message_id: string;
  flow_id: string;
  flow_name: string;
  deployment_id: string;
  environment_id: string;
  environment: string;
  node_id: string;
  error: Record<string, unknown>;
  attempts: number;
  status: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  replay_message_id: string | null;
  payload_id: string | null;
  payload_content_type: string | null;
  payload_size_bytes: number | null;
  payload_role: string | null;
}

/** The columns of DeadLetterRow, from `runtime_dead_letters d` with FROM DEAD_LETTER_FROM. */
export const DEAD_LETTER_COLUMNS = `
  d.id, d.message_id, d.flow_id, f.name AS flow_name, d.deployment_id, d.environment_id,
  e.code AS environment, d.node_id, d.error, d.attempts, d.status,
  ${ts('d.created_at')} AS created_at, ${ts('d.resolved_at')} AS resolved_at, d.resolved_by,
  d.replay_message_id, d.payload_id, p.content_type AS payload_content_type,
  p.size_bytes AS payload_size_bytes, p.role AS payload_role`;

export const DEAD_LETTER_FROM = `
  FROM runtime_dead_letters d
  JOIN environments e ON e.id = d.environment_id
  JOIN package_assets f ON f.id = d.flow_id
  LEFT JOIN runtime_payloads p ON p.id = d.payload_id`;

export function toDeadLetterDto(r: DeadLetterRow): DeadLetterDto {
  const payload: PayloadInfoDto | null =
    r.payload_id === null || r.payload_content_type === null
      ? null
      : {
          id: r.payload_id,
          contentType: r.payload_content_type,
          sizeBytes: r.payload_size_bytes ?? 0,
          role: r.payload_role ?? 'STEP_INPUT',
        };
  return {
    id: r.id,
    messageId: r.message_id,
    flowId: r.flow_id,
    flowName: r.flow_name,
    deploymentId: r.deployment_id,
    environment: r.environment,
    nodeId: r.node_id,
    error: r.error,
    attempts: r.attempts,
    status: r.status,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    replayMessageId: r.replay_message_id,
    payload,
  };
}
