import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_ACTIONS = [
  'CREATE',
  'UPDATE',
  'SOFT_DELETE',
  'RESTORE',
  'DELETE',
  // Someone was made a member of a package (entity_type "package_member", entity_id the user;
  // the user reads it at GET /api/audit/me).
  'MEMBER_ADDED',
  // Security events (entity_type "auth"):
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
  // How many rate-limited security events one source caused beyond the limit in a minute.
  'SECURITY_EVENTS_SUPPRESSED',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A field's value before and after a change; absent sides mean "did not exist". */
export interface FieldChange {
  before?: unknown;
  after?: unknown;
}

/** Append-only: a database trigger refuses UPDATE and DELETE on this table. */
@Entity('audit_log')
export class AuditLogEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'text' })
  action: AuditAction;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'uuid', nullable: true })
  entityId: string | null;

  @Column({ name: 'package_id', type: 'uuid', nullable: true })
  packageId: string | null;

  @Column({ type: 'jsonb' })
  changes: Record<string, FieldChange>;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;
}
