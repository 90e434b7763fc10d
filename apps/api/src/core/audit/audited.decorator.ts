/** How the audit subscriber records an entity: which package it belongs to, what to hide. */
export interface AuditPolicy<T> {
  /** Name written to `audit_log.entity_type`. */
  entityType: string;
  packageIdOf: (entity: T) => string | null | undefined;
  /** The id to record; defaults to the entity's `id` (override for composite keys). */
  entityIdOf?: (entity: T) => string | null | undefined;
  /** Fields never written to the log in clear (secrets). */
  redact?: readonly (keyof T & string)[];
  /** Fields not worth a diff line (derived or bookkeeping columns). */
  ignore?: readonly (keyof T & string)[];
}

const policies = new Map<abstract new (...args: never[]) => unknown, AuditPolicy<never>>();

/** Marks an entity as audited: every insert, update, soft delete and restore writes `audit_log`. */
export function Audited<T>(policy: AuditPolicy<T>) {
  return (target: abstract new (...args: never[]) => T): void => {
    policies.set(target, policy);
  };
}

export function auditPolicyOf(target: unknown): AuditPolicy<Record<string, unknown>> | undefined {
  return policies.get(target as abstract new (...args: never[]) => unknown) as
    AuditPolicy<Record<string, unknown>> | undefined;
}
