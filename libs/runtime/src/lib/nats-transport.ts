import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import {
  AckPolicy,
  connect,
  Events,
  RetentionPolicy,
  StorageType,
  type Consumer,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  type NatsError,
} from 'nats';
import { type Pool } from 'pg';

import { OutboxRelay, type OutboxRow } from './outbox-relay';
import { outboxTracking, type JobTracking, type MessageJobRunner } from './runtime-transport';
import type { RuntimeLogger } from './runtime-worker';

export interface NatsTransportOptions {
  /** nats://host:port (several comma-separated: one cluster). */
  url: string;
  pool: Pool;
  /** Messages this worker runs at once: its pull slots. */
  concurrency: number;
  /**
   * Unacknowledged jobs are redelivered after this long (the worker's stale time: a worker
   * silent that long is dead); a running message reports `working()` every `workingMs`.
   */
  ackWaitMs: number;
  workingMs: number;
  /** The relay's longest wait between two looks at the outbox. */
  pollMs: number;
  /**
   * Deliveries of one job a worker runs (default 25); a later delivery is terminated unrun and
   * the sweeper re-enqueues its message. Enforced here, not by the consumer's `max_deliver`:
   * JetStream (2.9) keeps a job whose deliveries ran out in a work-queue stream, undelivered, so
   * the sweeper would take it for waiting forever.
   */
  maxDeliver?: number;
  /** The stream, its subjects and the consumer (defaults: INTEGRIXS_JOBS, integrixs.jobs, integrixs-runtime). */
  stream?: string;
  subjectPrefix?: string;
  durable?: string;
  logger: RuntimeLogger;
  /** Runs the job of one message as worker `workerId`; throws only when the database fails. */
  runMessage(messageId: string, workerId: string): Promise<unknown>;
}

/** What the worker gets: the runner, the sweeper's view of the jobs, and a way to close it all. */
export interface NatsJobs {
  runner: MessageJobRunner;
  tracking: JobTracking;
}

const DEFAULT_MAX_DELIVER = 25;
/** JetStream drops a publish whose Nats-Msg-Id it saw within this window (a re-published row). */
const DUPLICATE_WINDOW_MS = 2 * 60_000;
/** How long one pull waits for a job before it asks again (the nats client's minimum). */
const PULL_EXPIRES_MS = 1_000;
const PUBLISH_TIMEOUT_MS = 5_000;
/** JetStream API calls (the sweeper's lookups hold message rows locked meanwhile). */
const API_TIMEOUT_MS = 2_000;
const ms = (millis: number) => millis * 1_000_000; // JetStream durations are nanoseconds
const delay = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis).unref());
/** The pause before a job whose run failed (the database away) is delivered again. */
const nakDelayMs = (deliveries: number) => Math.min(10_000, 250 * 2 ** Math.max(0, deliveries - 1));

/** JetStream's "no message found" (a message lookup by subject that found none). */
const isNoMessage = (error: unknown) => (error as NatsError).api_error?.err_code === 10037;

/**
 * The NATS JetStream transport (RUNTIME_TRANSPORT=nats; docs/decisions.md, job transport):
 * connects, makes sure of the work-queue stream and the durable pull consumer all workers
 * share, relays the outbox (outbox-relay.ts) into the stream and consumes it with
 * `concurrency` pull slots. Throws when NATS cannot be reached at start.
 */
export async function startNatsJobs(options: NatsTransportOptions): Promise<NatsJobs> {
  const failed = (what: string, error: unknown) =>
    new Error(
      `NATS JetStream at ${options.url} (RUNTIME_NATS_URL): ${what}: ${(error as Error).message}`,
    );
  const nc = await connect({
    servers: options.url.split(',').map((s) => s.trim()),
    name: `integrixs-worker ${hostname()}:${process.pid}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  }).catch((error: unknown) => {
    throw failed('cannot connect', error);
  });
  void watchStatus(nc, options.logger);
  try {
    const jsm = await nc.jetstreamManager({ timeout: API_TIMEOUT_MS });
    const names = await ensureStreamAndConsumer(jsm, options);
    const runner = new NatsJobRunner(nc, nc.jetstream(), jsm, names, options);
    return { runner, tracking: outboxTracking((ids) => runner.heldByBroker(ids)) };
  } catch (error) {
    await nc.close();
    throw failed('cannot set up the job stream (is JetStream on: nats-server -js?)', error);
  }
}

interface Names {
  stream: string;
  subjectPrefix: string;
  durable: string;
}

/** Creates the stream and the consumer, or brings an existing consumer's timings up to date. */
async function ensureStreamAndConsumer(
  jsm: JetStreamManager,
  options: NatsTransportOptions,
): Promise<Names> {
  const names: Names = {
    stream: options.stream ?? 'INTEGRIXS_JOBS',
    subjectPrefix: options.subjectPrefix ?? 'integrixs.jobs',
    durable: options.durable ?? 'integrixs-runtime',
  };
  try {
    await jsm.streams.info(names.stream);
  } catch {
    await jsm.streams
      .add({
        name: names.stream,
        subjects: [`${names.subjectPrefix}.>`],
        // A job leaves the stream when a worker acknowledges it.
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        duplicate_window: ms(DUPLICATE_WINDOW_MS),
      })
      // Another worker created it meanwhile.
      .catch(() => jsm.streams.info(names.stream));
  }
  const timings = {
    ack_wait: ms(options.ackWaitMs),
    max_deliver: -1, // bounded by run() (maxDeliver)
    max_ack_pending: -1,
  };
  try {
    await jsm.consumers.add(names.stream, {
      durable_name: names.durable,
      ack_policy: AckPolicy.Explicit,
      ...timings,
    });
  } catch {
    await jsm.consumers.update(names.stream, names.durable, timings);
  }
  return names;
}

/** Logs the connection's ups and downs (the client reconnects by itself, forever). */
async function watchStatus(nc: NatsConnection, logger: RuntimeLogger): Promise<void> {
  for await (const status of nc.status())
    if (status.type === Events.Disconnect || status.type === Events.Reconnect)
      logger.warn({ status: status.type, server: status.data }, `NATS ${status.type}`);
}

/**
 * Consumes the job stream: `concurrency` slots each pull one job at a time, run its message and
 * acknowledge it when runMessage resolves (the executor's claim makes a job delivered twice run
 * its message once). A running message reports `working()` so a long one is not redelivered;
 * a run that throws (the database away) is nak'ed with a delay. A job delivered more than
 * `maxDeliver` times (its workers kept dying or failing) is terminated unrun: it leaves the
 * stream, and the sweeper re-enqueues its message through the outbox. The relay of
 * the outbox runs here too: every worker publishes (the rows are shared, SKIP LOCKED).
 */
class NatsJobRunner implements MessageJobRunner {
  /** Not graphile's pool id: a worker id of its own (runtime_workers, messages' worker_id). */
  readonly id = `nats-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  readonly isRecycling = false;
  private readonly relay: OutboxRelay;
  private slots: Promise<void>[] = [];
  private consumer: Consumer | undefined;
  private stopped = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly names: Names,
    private readonly options: NatsTransportOptions,
  ) {
    this.relay = new OutboxRelay({
      pool: options.pool,
      pollMs: options.pollMs,
      logger: options.logger,
      publish: (rows) => this.publish(rows),
    });
  }

  async start(): Promise<void> {
    this.consumer = await this.js.consumers.get(this.names.stream, this.names.durable);
    this.relay.start();
    this.slots = Array.from({ length: this.options.concurrency }, () => this.slot());
  }

  /** Nothing to look for: a job this worker no longer runs is redelivered after its ack wait. */
  check(): Promise<void> {
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.relay.stop();
    // Each slot finishes its message (and pull: at most PULL_EXPIRES_MS).
    await Promise.all(this.slots);
    // Acknowledgements out before the connection closes.
    await this.nc.drain().catch(() => this.nc.close());
  }

  /** Whether the stream holds a job for each message (one subject per message). */
  async heldByBroker(messageIds: string[]): Promise<Set<string>> {
    const held = new Set<string>();
    await Promise.all(
      messageIds.map(async (id) => {
        try {
          await this.jsm.streams.getMessage(this.names.stream, { last_by_subj: this.subject(id) });
          held.add(id);
        } catch (error) {
          if (!isNoMessage(error)) throw error;
        }
      }),
    );
    return held;
  }

  private subject(messageId: string): string {
    return `${this.names.subjectPrefix}.run.${messageId}`;
  }

  /** Publishes outbox rows; answers those JetStream acknowledged (stored, or a duplicate). */
  private async publish(rows: OutboxRow[]): Promise<OutboxRow[]> {
    const results = await Promise.allSettled(
      rows.map((row) =>
        this.js.publish(this.subject(row.messageId), JSON.stringify({ messageId: row.messageId }), {
          msgID: `${row.messageId}:${row.seq}`,
          timeout: PUBLISH_TIMEOUT_MS,
        }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed)
      this.options.logger.warn(
        { err: failed.reason as unknown },
        'publishing jobs to NATS failed; retrying',
      );
    return rows.filter((_, i) => results[i].status === 'fulfilled');
  }

  private async slot(): Promise<void> {
    while (!this.stopped) {
      let job: JsMsg | null;
      try {
        job = (await this.consumer?.next({ expires: PULL_EXPIRES_MS })) ?? null;
      } catch (error) {
        // NATS away (restarting): the client reconnects; ask again shortly.
        if (!this.stopped)
          this.options.logger.warn({ err: error }, 'pulling a job from NATS failed; retrying');
        await delay(PULL_EXPIRES_MS);
        continue;
      }
      if (job) await this.run(job);
    }
  }

  private async run(job: JsMsg): Promise<void> {
    let messageId: unknown;
    try {
      ({ messageId } = job.json<{ messageId?: unknown }>());
    } catch {
      messageId = undefined;
    }
    // term() without a reason: nats-server before 2.10.4 ignores `+TERM <reason>`.
    if (typeof messageId !== 'string') {
      job.term();
      return;
    }
    const deliveries = job.info.redeliveryCount;
    if (deliveries > (this.options.maxDeliver ?? DEFAULT_MAX_DELIVER)) {
      this.options.logger.warn({ messageId, deliveries }, 'a job delivered too often: terminated');
      job.term();
      return;
    }
    const working = setInterval(() => job.working(), this.options.workingMs);
    working.unref();
    try {
      await this.options.runMessage(messageId, this.id);
      job.ack();
    } catch (error) {
      this.options.logger.warn(
        { err: error, messageId, deliveries },
        'running a job failed; redelivering',
      );
      job.nak(nakDelayMs(deliveries));
    } finally {
      clearInterval(working);
    }
  }
}
