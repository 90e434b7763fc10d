import { type DeadLetterDto, type ExecutionDto } from '@integrixs/api-client';
import { isUuid } from '@integrixs/domain';

import { type DeadLetterQuery, type ExecutionQuery } from '../../api/runtime-api.service';
import { dayToInstant, type FilterSpec, type FilterValues } from '../../state/list-query-params';

/** Every execution status, in the order a message moves through them. */
export const EXECUTION_STATUSES = [
  'QUEUED',
  'RUNNING',
  'RETRYING',
  'SUCCEEDED',
  'DEAD_LETTERED',
  'CANCELLED',
] as const satisfies readonly ExecutionDto['status'][];

export const EXECUTION_TRIGGERS = [
  'HTTP',
  'POLL',
  'SCHEDULE',
  'MANUAL',
  'REPLAY',
] as const satisfies readonly ExecutionDto['trigger'][];

export const DEAD_LETTER_STATUSES = [
  'OPEN',
  'REPLAYED',
  'DISCARDED',
] as const satisfies readonly DeadLetterDto['status'][];

/** The monitor's two lists. */
export const RUNTIME_VIEWS = ['executions', 'dead-letters'] as const;
export type RuntimeView = (typeof RUNTIME_VIEWS)[number];

/**
 * The monitor's filters as query parameters (`/packages/:id/runtime?flowId=…&environment=DEV&
 * status=DEAD_LETTERED`): flow and environment are shared by the executions, the dead letters,
 * the health cards and the run dialog; `deadLetterStatus` filters the dead-letter queue (OPEN
 * unless chosen otherwise); `view` is the list shown.
 */
export const RUNTIME_FILTERS: FilterSpec = [
  { key: 'view', default: 'executions', allowed: RUNTIME_VIEWS },
  { key: 'flowId', default: '', maxLength: 36 },
  { key: 'environment', default: '', maxLength: 32 },
  { key: 'status', default: '', allowed: ['', ...EXECUTION_STATUSES] },
  { key: 'trigger', default: '', allowed: ['', ...EXECUTION_TRIGGERS] },
  { key: 'from', default: '', kind: 'date' },
  { key: 'to', default: '', kind: 'date' },
  { key: 'q', default: '', maxLength: 200 },
  { key: 'deadLetterStatus', default: 'OPEN', allowed: ['', ...DEAD_LETTER_STATUSES] },
];

const ENVIRONMENT = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

/** The flow the filters name, when it is an id the API accepts ('' otherwise). */
export function flowOf(values: FilterValues): string {
  const flowId = values['flowId'] ?? '';
  return isUuid(flowId) ? flowId.toLowerCase() : '';
}

/** The environment the filters name, when it is a code the API accepts ('' otherwise). */
export function environmentOf(values: FilterValues): string {
  const environment = values['environment'] ?? '';
  return ENVIRONMENT.test(environment) ? environment : '';
}

/**
 * The executions query for the filters: unset filters are left out, days become the API's
 * instants (`to` is the end of that day, exclusive), a malformed flow id or environment code
 * (a hand-edited link) is ignored rather than sent for a 400.
 */
export function executionQueryOf(values: FilterValues): ExecutionQuery {
  const query: Record<string, string> = {};
  const flowId = flowOf(values);
  const environment = environmentOf(values);
  if (flowId) query['flowId'] = flowId;
  if (environment) query['environment'] = environment;
  for (const key of ['status', 'trigger'] as const) if (values[key]) query[key] = values[key];
  const from = dayToInstant(values['from'] ?? '');
  const to = dayToInstant(values['to'] ?? '', true);
  if (from) query['from'] = from;
  if (to) query['to'] = to;
  const q = (values['q'] ?? '').trim();
  if (q) query['q'] = q;
  return query;
}

/** The dead-letter query for the filters (flow, environment, dead-letter status). */
export function deadLetterQueryOf(values: FilterValues): DeadLetterQuery {
  const query: Record<string, string> = {};
  const flowId = flowOf(values);
  const environment = environmentOf(values);
  if (flowId) query['flowId'] = flowId;
  if (environment) query['environment'] = environment;
  if (values['deadLetterStatus']) query['status'] = values['deadLetterStatus'];
  return query;
}

/** A stable key of a query, so an unchanged one does not reload the list. */
export function queryKey(query: ExecutionQuery | DeadLetterQuery): string {
  return JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));
}

/** "1.2 s", "340 ms", "2 min 5 s"; an em dash when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** What a status chip looks like: its tone. */
export function statusTone(status: string): 'ok' | 'failed' | 'busy' | 'muted' {
  switch (status) {
    case 'SUCCEEDED':
    case 'REPLAYED':
      return 'ok';
    case 'DEAD_LETTERED':
    case 'FAILED':
    case 'OPEN':
      return 'failed';
    case 'QUEUED':
    case 'RUNNING':
    case 'RETRYING':
      return 'busy';
    default:
      return 'muted';
  }
}
