import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import { type RuntimeObserver } from '../runtime-observer';
import { type SqlClient } from '../runtime-types';

/** Message and step latencies: 1 ms to 5 min. */
const DURATION_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

/** The metric of that name in the registry, or a new one (so registering twice is harmless). */
function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Prometheus metrics per flow and step, fed by the engine's observer hooks. Labels are the flow
 * id, the environment code and a status or node kind only, so cardinality grows with deployed
 * flows, never with messages. Register it once per process registry (a second call reuses the
 * same metrics).
 */
export function runtimeMetricsObserver(registry: Registry): RuntimeObserver {
  const registers = [registry];
  const accepted = once(
    registry,
    'integrixs_runtime_messages_accepted_total',
    () =>
      new Counter({
        name: 'integrixs_runtime_messages_accepted_total',
        help: 'Messages accepted (durably stored and queued) per flow and environment',
        labelNames: ['flow', 'environment'],
        registers,
      }),
  );
  const messages = once(
    registry,
    'integrixs_runtime_messages_total',
    () =>
      new Counter({
        name: 'integrixs_runtime_messages_total',
        help: 'Message attempts finished per flow, environment and outcome (SUCCEEDED, RETRYING, DEAD_LETTERED)',
        labelNames: ['flow', 'environment', 'status'],
        registers,
      }),
  );
  const messageDuration = once(
    registry,
    'integrixs_runtime_message_duration_seconds',
    () =>
      new Histogram({
        name: 'integrixs_runtime_message_duration_seconds',
        help: 'Duration of one message attempt (all its steps) per flow, environment and outcome',
        labelNames: ['flow', 'environment', 'status'],
        buckets: DURATION_BUCKETS,
        registers,
      }),
  );
  const waited = once(
    registry,
    'integrixs_runtime_message_wait_seconds',
    () =>
      new Histogram({
        name: 'integrixs_runtime_message_wait_seconds',
        help: 'Time from acceptance to the start of an attempt per flow and environment',
        labelNames: ['flow', 'environment'],
        buckets: DURATION_BUCKETS,
        registers,
      }),
  );
  const stepDuration = once(
    registry,
    'integrixs_runtime_step_duration_seconds',
    () =>
      new Histogram({
        name: 'integrixs_runtime_step_duration_seconds',
        help: 'Duration of one step per flow, environment, node kind and outcome',
        labelNames: ['flow', 'environment', 'kind', 'status'],
        buckets: DURATION_BUCKETS,
        registers,
      }),
  );
  const retries = once(
    registry,
    'integrixs_runtime_retries_total',
    () =>
      new Counter({
        name: 'integrixs_runtime_retries_total',
        help: 'Message attempts that failed and were scheduled again per flow and environment',
        labelNames: ['flow', 'environment'],
        registers,
      }),
  );
  const deadLetters = once(
    registry,
    'integrixs_runtime_dead_letters_total',
    () =>
      new Counter({
        name: 'integrixs_runtime_dead_letters_total',
        help: 'Messages dead-lettered after their last attempt per flow and environment',
        labelNames: ['flow', 'environment'],
        registers,
      }),
  );
  const throttled = once(
    registry,
    'integrixs_runtime_messages_throttled_total',
    () =>
      new Counter({
        name: 'integrixs_runtime_messages_throttled_total',
        help: "Message starts held back by the flow's rate limit per flow and environment",
        labelNames: ['flow', 'environment'],
        registers,
      }),
  );
  return {
    messageAccepted(e) {
      accepted.inc({ flow: e.flowId, environment: e.environment });
    },
    messageThrottled(e) {
      throttled.inc({ flow: e.flowId, environment: e.environment });
    },
    stepFinished(e) {
      stepDuration.observe(
        { flow: e.flowId, environment: e.environment, kind: e.kind, status: e.status },
        e.durationMs / 1000,
      );
    },
    messageFinished(e) {
      const labels = { flow: e.flowId, environment: e.environment };
      messages.inc({ ...labels, status: e.status });
      messageDuration.observe({ ...labels, status: e.status }, e.durationMs / 1000);
      waited.observe(labels, e.waitedMs / 1000);
      if (e.status === 'RETRYING') retries.inc(labels);
      if (e.status === 'DEAD_LETTERED') deadLetters.inc(labels);
    },
  };
}

interface QueueRow {
  flow_id: string;
  environment: string;
  kind: 'waiting' | 'dead' | 'active';
  n: number;
  oldest: number | null;
}

/**
 * The database's view at scrape time, in one cheap query (partial indexes on waiting messages
 * and open dead letters): queue depth (QUEUED + RETRYING) and the oldest waiting message's age
 * per flow and environment, and open dead letters. Every active deployment reports (0 when
 * nothing waits), so a series never vanishes while its flow is deployed. Scrapes within a
 * second share one query.
 */
export function registerRuntimeQueueGauges(registry: Registry, db: SqlClient): void {
  if (registry.getSingleMetric('integrixs_runtime_queue_depth')) return;
  let last: { at: number; rows: Promise<QueueRow[]> } | undefined;
  const snapshot = (): Promise<QueueRow[]> => {
    if (last && Date.now() - last.at < 1000) return last.rows;
    const rows = db
      .query<QueueRow>(
        `SELECT s.flow_id::text AS flow_id, e.code AS environment, s.kind, s.n, s.oldest
           FROM (SELECT flow_id, environment_id, 'waiting' AS kind, count(*)::int AS n,
                        extract(epoch FROM now() - min(received_at))::float8 AS oldest
                   FROM runtime_messages WHERE status IN ('QUEUED', 'RETRYING')
                  GROUP BY flow_id, environment_id
                 UNION ALL
                 SELECT flow_id, environment_id, 'dead', count(*)::int, NULL
                   FROM runtime_dead_letters WHERE status = 'OPEN'
                  GROUP BY flow_id, environment_id
                 UNION ALL
                 SELECT flow_id, environment_id, 'active', 0, NULL
                   FROM flow_deployments WHERE state <> 'UNDEPLOYED') s
           JOIN environments e ON e.id = s.environment_id`,
      )
      .then((r) => r.rows);
    last = { at: Date.now(), rows };
    // A failed query is not cached: the next scrape tries again.
    rows.catch(() => (last = undefined));
    return rows;
  };
  const gauge = (name: string, help: string, value: (rows: QueueRow[], key: string) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['flow', 'environment'],
      registers: [registry],
      async collect() {
        let rows: QueueRow[];
        try {
          rows = await snapshot();
        } catch {
          // The database is unreachable: the scrape still answers (the other metrics matter
          // most then), these series keep their last values.
          return;
        }
        this.reset();
        const keys = new Set(rows.map((r) => `${r.flow_id} ${r.environment}`));
        for (const key of keys) {
          const [flow, environment] = key.split(' ');
          this.set({ flow, environment }, value(rows, key));
        }
      },
    });
  const of = (rows: QueueRow[], key: string, kind: QueueRow['kind']) =>
    rows.find((r) => `${r.flow_id} ${r.environment}` === key && r.kind === kind);
  gauge(
    'integrixs_runtime_queue_depth',
    'Messages waiting to run (QUEUED or RETRYING) per flow and environment',
    (rows, key) => of(rows, key, 'waiting')?.n ?? 0,
  );
  gauge(
    'integrixs_runtime_oldest_waiting_seconds',
    'Age of the oldest waiting message (QUEUED or RETRYING) per flow and environment',
    (rows, key) => Math.max(0, of(rows, key, 'waiting')?.oldest ?? 0),
  );
  gauge(
    'integrixs_runtime_dead_letters_open',
    'Open dead letters per flow and environment',
    (rows, key) => of(rows, key, 'dead')?.n ?? 0,
  );
}
