import { Registry } from 'prom-client';

import { combineObservers } from '../runtime-observer';
import { registerRuntimeQueueGauges, runtimeMetricsObserver } from './runtime-metrics';
import { serveMetrics } from './serve-metrics';
import { startWorkerObservability } from './worker-observability';

const scope = {
  packageId: 'p1',
  flowId: 'f1',
  deploymentId: 'd1',
  environmentId: 'e1',
  environment: 'DEV',
  trigger: 'HTTP' as const,
};

function runMessage(observer: ReturnType<typeof combineObservers>, id: string, status: string) {
  const startedAt = new Date();
  const message = { ...scope, messageId: id, attempt: 1 };
  observer.messageAccepted(message);
  observer.messageStarted({ ...message, startedAt });
  observer.stepFinished({
    ...message,
    nodeId: 'map-1',
    kind: 'MAP',
    status: status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
    startedAt,
    durationMs: 20,
  });
  observer.messageFinished({
    ...message,
    status: status as 'SUCCEEDED',
    startedAt,
    durationMs: 30,
    waitedMs: 5,
  });
}

describe('runtimeMetricsObserver', () => {
  it('counts messages by flow, environment and status, retries and dead letters, with duration histograms', async () => {
    const registry = new Registry();
    const observer = combineObservers([runtimeMetricsObserver(registry)]);
    runMessage(observer, 'm1', 'SUCCEEDED');
    runMessage(observer, 'm2', 'SUCCEEDED');
    runMessage(observer, 'm3', 'RETRYING');
    runMessage(observer, 'm4', 'DEAD_LETTERED');
    observer.messageThrottled({ ...scope, messageId: 'm5', attempt: 0, until: new Date() });
    const text = await registry.metrics();
    expect(text).toContain(
      'integrixs_runtime_messages_throttled_total{flow="f1",environment="DEV"} 1',
    );
    expect(text).toContain(
      'integrixs_runtime_messages_total{flow="f1",environment="DEV",status="SUCCEEDED"} 2',
    );
    expect(text).toContain(
      'integrixs_runtime_messages_total{flow="f1",environment="DEV",status="RETRYING"} 1',
    );
    expect(text).toContain(
      'integrixs_runtime_messages_accepted_total{flow="f1",environment="DEV"} 4',
    );
    expect(text).toContain('integrixs_runtime_retries_total{flow="f1",environment="DEV"} 1');
    expect(text).toContain('integrixs_runtime_dead_letters_total{flow="f1",environment="DEV"} 1');
    expect(text).toContain(
      'integrixs_runtime_step_duration_seconds_count{flow="f1",environment="DEV",kind="MAP",status="SUCCEEDED"} 2',
    );
    expect(text).toContain(
      'integrixs_runtime_message_duration_seconds_sum{flow="f1",environment="DEV",status="SUCCEEDED"} 0.06',
    );
    // Never a message id in a label.
    expect(text).not.toMatch(/m[1-4]"/);
  });

  it('reuses the metrics when registered twice on one registry', () => {
    const registry = new Registry();
    runtimeMetricsObserver(registry);
    expect(() => runtimeMetricsObserver(registry)).not.toThrow();
  });

  it('still answers a scrape when the database cannot be read for the queue gauges', async () => {
    const registry = new Registry();
    registerRuntimeQueueGauges(registry, {
      query: () => Promise.reject(new Error('connection refused')),
    });
    runtimeMetricsObserver(registry);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE integrixs_runtime_queue_depth gauge');
    expect(text).toContain('# TYPE integrixs_runtime_messages_total counter');
  });

  it('serves the registry at GET /metrics on its own port, and 404 elsewhere', async () => {
    const registry = new Registry();
    const observer = combineObservers([runtimeMetricsObserver(registry)]);
    runMessage(observer, 'm1', 'SUCCEEDED');
    const server = await serveMetrics(registry, 0, '127.0.0.1');
    try {
      const scrape = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toContain('text/plain');
      expect(await scrape.text()).toContain('integrixs_runtime_messages_total{flow="f1"');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("starts a worker's observability from the environment: metrics served on RUNTIME_METRICS_PORT, tracing off without an endpoint", async () => {
    const free = await serveMetrics(new Registry(), 0, '127.0.0.1');
    const port = free.port;
    await free.close();
    const observability = await startWorkerObservability({
      RUNTIME_METRICS_PORT: String(port),
      RUNTIME_METRICS_HOST: '127.0.0.1',
    });
    try {
      expect(observability.observers).toHaveLength(1);
      combineObservers(observability.observers).messageAccepted({
        ...scope,
        messageId: 'm1',
        attempt: 1,
      });
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toContain(
        'integrixs_runtime_messages_accepted_total{flow="f1",environment="DEV"} 1',
      );
      expect(text).toContain('process_cpu_user_seconds_total');
    } finally {
      await observability.stop();
    }
    const quiet = await startWorkerObservability({});
    expect(quiet.metricsServer).toBeUndefined();
    await quiet.stop();
  });
});
