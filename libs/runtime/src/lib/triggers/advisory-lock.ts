import { createHash } from 'node:crypto';

import { type SqlClient } from '../runtime-types';

/** A namespace so the runtime's advisory locks never collide with another use of the same ids. */
const NAMESPACE = 'integrixs:trigger:';

/** The signed 64-bit advisory lock key of a deployment's trigger (a decimal string for pg). */
export function triggerLockKey(deploymentId: string): string {
  const digest = createHash('sha256')
    .update(NAMESPACE + deploymentId.toLowerCase())
    .digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Session-level advisory locks held on ONE dedicated connection: a lock lives as long as that
 * session, so a worker that dies (or loses its connection) frees its deployments and another
 * worker's next `tryAcquire` wins them (failover).
 */
export class TriggerLocks {
  private readonly held = new Set<string>();
  /** One query at a time on the session (pg queues them, but concurrent use is deprecated). */
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly session: SqlClient) {}

  private query<R extends object>(text: string, values: unknown[]) {
    const next = this.last.then(() => this.session.query<R>(text, values));
    this.last = next.catch(() => undefined);
    return next;
  }

  holds(deploymentId: string): boolean {
    return this.held.has(deploymentId);
  }

  heldIds(): string[] {
    return [...this.held];
  }

  async tryAcquire(deploymentId: string): Promise<boolean> {
    if (this.held.has(deploymentId)) return true;
    const { rows } = await this.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock($1::bigint) AS locked`,
      [triggerLockKey(deploymentId)],
    );
    if (rows[0]?.locked) this.held.add(deploymentId);
    return this.held.has(deploymentId);
  }

  async release(deploymentId: string): Promise<void> {
    if (!this.held.delete(deploymentId)) return;
    await this.query(`SELECT pg_advisory_unlock($1::bigint)`, [triggerLockKey(deploymentId)]);
  }

  async releaseAll(): Promise<void> {
    for (const id of this.heldIds()) await this.release(id);
  }
}
