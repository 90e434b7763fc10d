import { isUuid } from '@integrixs/domain';

import { type MessageCancelledEvent, type RuntimeObserver } from './runtime-observer';
import { MESSAGE_STATUSES, type MessageStatus, type SqlClient } from './runtime-types';

/** The channel execution changes are NOTIFYed on (ids, statuses and counts; never payloads). */
export const EXECUTIONS_CHANNEL = 'integrixs_runtime';

/**
 * What changed for a flow's messages in one environment: the statuses its messages entered
 * (QUEUED when accepted, RUNNING when an attempt started, then SUCCEEDED, RETRYING,
 * DEAD_LETTERED or CANCELLED) and what happened to its dead letters (REPLAYED, DISCARDED).
 */
export const EXECUTION_CHANGES = [...MESSAGE_STATUSES, 'REPLAYED', 'DISCARDED'] as const;
export type ExecutionChange = (typeof EXECUTION_CHANGES)[number];

/** Which flow, in which environment, of which package. */
export interface ExecutionScope {
  packageId: string;
  flowId: string;
  environmentId: string;
}

/** One notification's payload (JSON): a flow's changes in one environment since the last one. */
export interface ExecutionNotification extends ExecutionScope {
  /** In EXECUTION_CHANGES order. */
  statuses: ExecutionChange[];
  /** How many messages made each change (a message that ran twice counts twice). */
  counts: Partial<Record<ExecutionChange, number>>;
}

/** How long changes are collected before they are sent (at most one NOTIFY per flow per this). */
export const DEFAULT_EXECUTION_FLUSH_MS = 500;
/** Flows with pending changes beyond which new flows' changes are dropped until the next flush. */
const MAX_PENDING_SCOPES = 10_000;

export interface ExecutionChangesOptions {
  flushMs?: number;
  /** Where a failed NOTIFY is reported (the changes are dropped; listeners also poll). */
  logger?: { warn(obj: object, msg?: string): void };
}

/**
 * Coalesces execution changes into notifications: the runtime records each message's status
 * change here (in memory, no I/O), and at most once per `flushMs` one statement sends one
 * `pg_notify` per flow and environment whose messages changed, on EXECUTIONS_CHANNEL. At
 * hundreds of messages per second that is a few notifications per second, none of them inside a
 * message's transaction. Listeners (the API's live events) re-read what they show.
 *
 * It never throws into the message path: a failed NOTIFY is logged and its changes dropped.
 * As a RuntimeObserver it records accepted, started and finished messages; `record` takes any
 * other change (replays, discards). `stop()` sends what is pending.
 */
export class ExecutionChanges implements RuntimeObserver {
  /** Per flow and environment: the counts so far (the statuses follow from them at send). */
  private pending = new Map<string, Omit<ExecutionNotification, 'statuses'>>();
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly flushMs: number;

  constructor(
    private readonly db: SqlClient,
    private readonly options: ExecutionChangesOptions = {},
  ) {
    this.flushMs = options.flushMs ?? DEFAULT_EXECUTION_FLUSH_MS;
  }

  /** Notes that `count` messages of the scope made the change; sent with the next flush. */
  record(scope: ExecutionScope, change: ExecutionChange, count = 1): void {
    const key = `${scope.flowId}:${scope.environmentId}`;
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= MAX_PENDING_SCOPES) return;
      entry = {
        packageId: scope.packageId,
        flowId: scope.flowId,
        environmentId: scope.environmentId,
        counts: {},
      };
      this.pending.set(key, entry);
    }
    entry.counts[change] = (entry.counts[change] ?? 0) + count;
    if (this.stopped) {
      void this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  messageAccepted(event: ExecutionScope): void {
    this.record(event, 'QUEUED');
  }

  messageStarted(event: ExecutionScope): void {
    this.record(event, 'RUNNING');
  }

  messageFinished(event: ExecutionScope & { status: MessageStatus }): void {
    this.record(event, event.status);
  }

  messageCancelled(event: MessageCancelledEvent): void {
    this.record(event, 'CANCELLED');
  }

  /** Sends what is pending now (after any send in flight); never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (batch.length > 0) this.sending = this.sending.then(() => this.send(batch));
    return this.sending;
  }

  /** Sends what is pending; later changes are sent at once (without waiting for a timer). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.flush();
  }

  private async send(batch: Omit<ExecutionNotification, 'statuses'>[]): Promise<void> {
    const payloads = batch.map((entry) => {
      const statuses = EXECUTION_CHANGES.filter((change) => entry.counts[change] !== undefined);
      return JSON.stringify({ ...entry, statuses });
    });
    try {
      await this.db.query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`, [
        EXECUTIONS_CHANNEL,
        payloads,
      ]);
    } catch (error) {
      this.options.logger?.warn(
        { err: error, flows: batch.length },
        'execution change notification failed (dropped)',
      );
    }
  }
}

const KNOWN = new Set<string>(EXECUTION_CHANGES);

/** A notification of EXECUTIONS_CHANNEL as sent by ExecutionChanges, or null when malformed. */
export function parseExecutionNotification(payload: string): ExecutionNotification | null {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const { packageId, flowId, environmentId, statuses, counts } = body as Record<string, unknown>;
  const ids = [packageId, flowId, environmentId];
  if (!ids.every(isUuid)) return null;
  if (!Array.isArray(statuses)) return null;
  const known = EXECUTION_CHANGES.filter((change) => statuses.includes(change));
  if (known.length === 0) return null;
  const source = typeof counts === 'object' && counts !== null ? counts : {};
  const kept: Partial<Record<ExecutionChange, number>> = {};
  for (const [change, n] of Object.entries(source))
    if (KNOWN.has(change) && Number.isSafeInteger(n) && (n as number) >= 0)
      kept[change as ExecutionChange] = n as number;
  return {
    packageId: packageId as string,
    flowId: flowId as string,
    environmentId: environmentId as string,
    statuses: known,
    counts: kept,
  };
}
