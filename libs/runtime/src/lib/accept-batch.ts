import { createHash, randomUUID } from 'node:crypto';

import {
  acceptMessage,
  answerUnstored,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type AcceptMessageInput,
  type AcceptMessageResult,
} from './accept-message';
import { enqueueAll, type JobQueue } from './job-queue';
import { prepared } from './prepared-statements';
import { type SqlClient } from './runtime-types';

/**
 * acceptMessage for several messages in one transaction, set-based: one INSERT of the message
 * rows, one of the payloads, one enqueue of the jobs, whatever the number of messages. Each
 * input gets the answer acceptMessage would give it alone, in order; two inputs with the same
 * idempotency key for the same flow and environment store one message (the second answers
 * `duplicate` with the first's id).
 */
export async function acceptMessages(
  client: SqlClient,
  queue: JobQueue,
  inputs: readonly AcceptMessageInput[],
): Promise<AcceptMessageResult[]> {
  const results: (AcceptMessageResult | undefined)[] = inputs.map((input) => {
    const limit = input.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    return input.payload.length > limit
      ? { outcome: 'too-large', messageId: null, limit }
      : undefined;
  });
  const wanted = inputs.flatMap((input, index) =>
    results[index] ? [] : [{ input, index, id: randomUUID() }],
  );
  if (wanted.length === 0) return results as AcceptMessageResult[];
  const column = <T>(pick: (input: AcceptMessageInput) => T) => wanted.map((w) => pick(w.input));
  // Every deployment still DEPLOYED is locked against a suspend or undeploy until commit.
  const { rows: inserted } = await client.query<{ id: string; flow_id: string }>(
    prepared(`INSERT INTO runtime_messages (id, origin_id, package_id, flow_id, deployment_id,
                                   environment_id, trigger, source_ref, idempotency_key,
                                   size_bytes, created_by)
     SELECT r.id, r.id, d.package_id, d.flow_id, d.id, d.environment_id, r.trigger, r.source_ref,
            r.idempotency_key, r.size_bytes, r.created_by
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                   $7::text[], $8::boolean[]) WITH ORDINALITY
              AS r(id, deployment_id, trigger, source_ref, idempotency_key, size_bytes,
                   created_by, may_operate, ord)
       JOIN (SELECT d.id, d.package_id, d.flow_id, d.environment_id, e.protected
               FROM flow_deployments d JOIN environments e ON e.id = d.environment_id
              WHERE d.id = ANY($2::uuid[]) AND d.state = 'DEPLOYED' FOR SHARE OF d) d
         ON d.id = r.deployment_id AND (r.may_operate OR NOT d.protected)
      ORDER BY r.ord
     ON CONFLICT (flow_id, environment_id, idempotency_key) WHERE idempotency_key IS NOT NULL
       DO NOTHING
     RETURNING id, flow_id`),
    [
      wanted.map((w) => w.id),
      column((i) => i.deploymentId),
      column((i) => i.trigger),
      column((i) => i.sourceRef ?? null),
      column((i) => i.idempotencyKey ?? null),
      column((i) => i.payload.length),
      column((i) => i.acceptedBy),
      column((i) => i.mayOperateProtected ?? true),
    ],
  );
  const flowOf = new Map(inserted.map((row) => [row.id, row.flow_id]));
  const stored = wanted.filter((w) => flowOf.has(w.id));
  if (stored.length > 0) {
    await client.query(insertPayloadsSql(stored.length), [
      stored.map((w) => w.id),
      stored.map((w) => w.input.contentType),
      stored.map((w) => createHash('sha256').update(w.input.payload).digest('hex')),
      ...stored.map((w) => w.input.payload),
    ]);
    await enqueueAll(
      queue,
      client,
      stored.map((w) => ({ messageId: w.id, flowId: flowOf.get(w.id) })),
    );
  }
  for (const w of stored) results[w.index] = { outcome: 'accepted', messageId: w.id };
  // Not active, or a repeated idempotency key: which one (the unusual case, one at a time).
  for (const w of wanted.filter((w) => !flowOf.has(w.id)))
    results[w.index] = await answerUnstored(client, w.input);
  return results as AcceptMessageResult[];
}

/** insertPayloadsSql's texts by payload count (each prepared: at most one per batch size). */
const PAYLOADS_SQL: string[] = [];

/**
 * The INSERT of `count` input payloads and their messages' input_payload_id. Each payload its
 * own parameter: pg sends a Buffer as binary, a bytea[] as hex text.
 */
function insertPayloadsSql(count: number): string {
  return (PAYLOADS_SQL[count] ??= prepared(payloadsSql(count)));
}

function payloadsSql(count: number): string {
  const contents = Array.from({ length: count }, (_, i) => `(${i + 1}, $${i + 4}::bytea)`);
  return `WITH payload AS (
         INSERT INTO runtime_payloads (message_id, role, content_type, size_bytes, sha256, content)
         SELECT p.message_id, 'INPUT', p.content_type, length(c.content), p.sha256, c.content
           FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY
                  AS p(message_id, content_type, sha256, ord)
           JOIN (VALUES ${contents.join(', ')}) AS c(ord, content) ON c.ord = p.ord
         RETURNING id, message_id)
       UPDATE runtime_messages m SET input_payload_id = payload.id
         FROM payload WHERE m.id = payload.message_id`;
}

export interface AcceptBatcherOptions {
  /** Runs `work` in one transaction (BEGIN … COMMIT) and resolves once it committed. */
  transaction: <T>(work: (client: SqlClient) => Promise<T>) => Promise<T>;
  queue: JobQueue;
  /** Most messages in one transaction. */
  maxBatch?: number;
  /** Transactions at once: while all are busy, new messages wait and go together in the next. */
  parallel?: number;
}

interface Waiting {
  input: AcceptMessageInput;
  resolve: (result: AcceptMessageResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Accepts messages arriving at the same time in shared transactions (group commit): a message
 * that finds a free transaction slot is stored at once, alone; messages arriving while every
 * slot is busy wait for the next free one and are stored together (acceptMessages), up to
 * `maxBatch` per transaction. No timer: a quiet system stores each message as it comes; a busy
 * one pays one commit, one message INSERT and one enqueue per batch instead of per message.
 * Each caller's promise resolves after its transaction committed, so an answer still means
 * "durably stored". When a batch fails as a whole (a database error), each of its messages is
 * tried again alone, so one message cannot fail the others.
 */
export class AcceptBatcher {
  private readonly waiting: Waiting[] = [];
  private busy = 0;
  private readonly maxBatch: number;
  private readonly parallel: number;

  constructor(private readonly options: AcceptBatcherOptions) {
    this.maxBatch = options.maxBatch ?? 32;
    this.parallel = options.parallel ?? 2;
  }

  accept(input: AcceptMessageInput): Promise<AcceptMessageResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.busy < this.parallel && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.busy++;
      void this.store(batch).finally(() => {
        this.busy--;
        this.drain();
      });
    }
  }

  private async store(batch: Waiting[]): Promise<void> {
    const { transaction, queue } = this.options;
    try {
      const results = await transaction((client) =>
        acceptMessages(
          client,
          queue,
          batch.map((w) => w.input),
        ),
      );
      batch.forEach((w, index) => w.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(
        batch.map((w) =>
          transaction((client) => acceptMessage(client, queue, w.input)).then(w.resolve, w.reject),
        ),
      );
    }
  }
}
