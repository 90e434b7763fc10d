import { type BulkReplayResultDto, type DeadLetterDto } from '@integrixs/api-client';

/** One line of a bulk replay's outcome, for the dead letter it names. */
export interface BulkReplayRow {
  readonly id: string;
  /** What the operator recognises: "Invoices to ERP · send" (the id when the row is not shown). */
  readonly label: string;
  readonly replayed: boolean;
  /** "Replayed", or why not, in words. */
  readonly outcome: string;
  readonly messageId: string | null;
  readonly detail: string | null;
}

const OUTCOMES: Readonly<Record<string, string>> = {
  REPLAYED: 'Replayed',
  NOT_FOUND: 'Not found',
  NOT_OPEN: 'No longer open',
  NO_ACTIVE_DEPLOYMENT: 'No active deployment in its environment',
  PAYLOAD_GONE: 'Its payload was removed',
};

/**
 * The bulk replay's answer as one row per id sent, in the order sent, named after the dead
 * letter shown for it (flow and failed node); skipped ones first so they are not missed.
 */
export function bulkReplayRows(
  result: BulkReplayResultDto,
  shown: readonly DeadLetterDto[],
): BulkReplayRow[] {
  const byId = new Map(shown.map((letter) => [letter.id, letter]));
  const rows = result.items.map((item) => {
    const letter = byId.get(item.id);
    return {
      id: item.id,
      label: letter ? `${letter.flowName} · ${letter.nodeId}` : item.id,
      replayed: item.outcome === 'REPLAYED',
      outcome: OUTCOMES[item.outcome] ?? item.outcome,
      messageId: item.messageId,
      detail: item.detail,
    };
  });
  return [...rows.filter((row) => !row.replayed), ...rows.filter((row) => row.replayed)];
}

/** "3 replayed, 1 skipped" / "2 replayed". */
export function bulkReplaySummary(result: BulkReplayResultDto): string {
  const replayed = `${result.replayed} replayed`;
  return result.skipped > 0 ? `${replayed}, ${result.skipped} skipped` : replayed;
}
