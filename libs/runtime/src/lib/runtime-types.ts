/** How a message entered a deployed flow. */
export const MESSAGE_TRIGGERS = ['HTTP', 'POLL', 'SCHEDULE', 'MANUAL', 'REPLAY'] as const;
export type MessageTrigger = (typeof MESSAGE_TRIGGERS)[number];

/**
 * A message's life: QUEUED → RUNNING → SUCCEEDED, or → RETRYING (waiting for its next attempt)
 * → RUNNING …, and after the last attempt → DEAD_LETTERED. CANCELLED: its deployment was
 * undeployed before it ran.
 */
export const MESSAGE_STATUSES = [
  'QUEUED',
  'RUNNING',
  'RETRYING',
  'SUCCEEDED',
  'DEAD_LETTERED',
  'CANCELLED',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const STEP_STATUSES = ['SUCCEEDED', 'FAILED', 'SKIPPED'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const DEAD_LETTER_STATUSES = ['OPEN', 'REPLAYED', 'DISCARDED'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** The one thing the runtime needs of a PostgreSQL connection (a pg Client, PoolClient or Pool). */
export interface SqlClient {
  query<R extends object = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}
