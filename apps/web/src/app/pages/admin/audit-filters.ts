import { type AuditEntryDto } from '@integrixs/api-client';
import { isUuid } from '@integrixs/domain';

import { type AuditQuery } from '../../api/audit-api.service';

/** The audit log's filter form as typed: every field a string, empty meaning "any". */
export interface AuditFilters {
  /** A username, a user id, `system` or `anonymous`. */
  readonly actor: string;
  readonly entityType: string;
  readonly action: string;
  readonly packageId: string;
  /** `datetime-local` values (`2026-11-29T10:30`), in the user's time zone. */
  readonly from: string;
  readonly to: string;
}

export const NO_FILTERS: AuditFilters = {
  actor: '',
  entityType: '',
  action: '',
  packageId: '',
  from: '',
  to: '',
};

export type AuditAction = NonNullable<AuditQuery['action']>;

/** Every action the API records (its AUDIT_ACTIONS), in its order. */
export const AUDIT_ACTIONS = [
  'CREATE',
  'UPDATE',
  'SOFT_DELETE',
  'RESTORE',
  'DELETE',
  'MEMBER_ADDED',
  'LOGIN_SUCCEEDED',
  'LOGIN_FAILED',
  'LOGIN_THROTTLED',
  'MFA_CHALLENGE_ISSUED',
  'MFA_FAILED',
  'MFA_ENROLLED',
  'MFA_DISABLED',
  'STEP_UP',
  'LOGOUT',
  'REFRESH_TOKEN_REUSE',
  'PASSWORD_CHANGED',
  'ACCESS_DENIED',
  'SECURITY_EVENTS_SUPPRESSED',
] as const satisfies readonly AuditAction[];

/** The type check fails, naming it, when the API records an action this list lacks. */
type Unlisted = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
export const AUDIT_ACTIONS_COMPLETE: [Unlisted] extends [never] ? true : Unlisted = true;

/** The kinds of thing the audit log records changes of. */
export const AUDIT_ENTITY_TYPES = [
  'package',
  'asset',
  'user',
  'package_member',
  'api_token',
  'environment',
  'dependency',
  'auth',
] as const;

/** The filters as the API's query, or the field that is wrong and why. */
export type AuditQueryOutcome =
  | {
      readonly ok: true;
      readonly query: AuditQuery;
      /** A username to look up: its user id goes into `query.actor`. */
      readonly actorUsername: string | null;
    }
  | { readonly ok: false; readonly field: keyof AuditFilters; readonly message: string };

/**
 * Maps the filter form to `GET /api/audit`'s query: empty fields are left out, times become
 * ISO-8601 instants (`from` inclusive, `to` exclusive), and an actor that is neither a user id nor
 * `system` / `anonymous` is a username for the page to look up (`actorUsername`).
 */
export function auditQueryOf(filters: AuditFilters): AuditQueryOutcome {
  const query: AuditQuery = {};
  let actorUsername: string | null = null;
  const actor = filters.actor.trim();
  if (actor) {
    if (isUuid(actor) || actor === 'system' || actor === 'anonymous') query.actor = actor;
    else actorUsername = actor.toLowerCase();
  }
  if (filters.entityType) query.entityType = filters.entityType;
  if (filters.action) {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(filters.action))
      return { ok: false, field: 'action', message: 'is not an action the audit log records' };
    query.action = filters.action as AuditAction;
  }
  if (filters.packageId) query.packageId = filters.packageId;
  for (const field of ['from', 'to'] as const) {
    if (!filters[field]) continue;
    const at = new Date(filters[field]);
    if (Number.isNaN(at.getTime())) return { ok: false, field, message: 'is not a valid time' };
    query[field] = at.toISOString();
  }
  if (query.from && query.to && query.from >= query.to)
    return { ok: false, field: 'to', message: 'must be after “From”' };
  return { ok: true, query, actorUsername };
}

/** One changed field of an entry: its value before and after, as text (`null` = absent). */
export interface FieldChange {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

/**
 * An entry's `changes` as rows, by field name: `{ name: { before, after } }` becomes one row;
 * a value of another shape is shown as it is, in the "after" column.
 */
export function changesOf(entry: Pick<AuditEntryDto, 'changes'>): FieldChange[] {
  return Object.entries(entry.changes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([field, value]) => {
      if (isChange(value)) {
        return {
          field,
          before: 'before' in value ? text(value.before) : null,
          after: 'after' in value ? text(value.after) : null,
        };
      }
      return { field, before: null, after: text(value) };
    });
}

function isChange(value: unknown): value is { before?: unknown; after?: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key === 'before' || key === 'after');
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? 'null';
}
