import { type AcceptMessageInput, type AcceptMessageResult } from '../accept-message';

/** Stores one message (its own transaction) as the trigger found it. */
export type TriggerAccept = (
  input: Omit<AcceptMessageInput, 'deploymentId' | 'acceptedBy'>,
) => Promise<AcceptMessageResult>;

/** What one poll did. */
export interface PollOutcome {
  accepted: number;
  duplicates: number;
  /** Files another worker renamed first, messages skipped. */
  skipped: number;
  /** The deployment stopped accepting (suspended/undeployed): the poll ended early. */
  stopped: boolean;
  errors: string[];
}

export const emptyOutcome = (): PollOutcome => ({
  accepted: 0,
  duplicates: 0,
  skipped: 0,
  stopped: false,
  errors: [],
});

export async function readAll(
  stream: AsyncIterable<Buffer | string>,
  limit: number,
): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) {
      (stream as { destroy?: () => void }).destroy?.();
      return null;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
