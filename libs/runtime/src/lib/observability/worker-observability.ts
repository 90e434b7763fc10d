import { collectDefaultMetrics, Registry } from 'prom-client';

import { type RuntimeObserver } from '../runtime-observer';
import { loadRuntimeMonitoringConfig } from './monitoring-config';
import { otelObserverFromEnv } from './otel-observer';
import { runtimeMetricsObserver } from './runtime-metrics';
import { serveMetrics, type MetricsServer } from './serve-metrics';

export interface WorkerObservability {
  /** Pass to startRuntimeWorker({ observers }). */
  readonly observers: RuntimeObserver[];
  readonly registry: Registry;
  /** Where the metrics are served (RUNTIME_METRICS_PORT), when they are. */
  readonly metricsServer: MetricsServer | undefined;
  /** Flushes the traces and stops serving metrics (after the worker drained). */
  stop(): Promise<void>;
}

/**
 * What a worker process observes itself with, from the environment: the runtime metrics on its
 * own registry (with the process metrics), served at `/metrics` on RUNTIME_METRICS_PORT when
 * set, and OpenTelemetry traces when OTEL_EXPORTER_OTLP_ENDPOINT is set. Throws naming a bad
 * variable.
 */
export async function startWorkerObservability(
  env: Record<string, string | undefined> = process.env,
): Promise<WorkerObservability> {
  const config = loadRuntimeMonitoringConfig(env);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const tracer = otelObserverFromEnv(env);
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await serveMetrics(registry, config.metricsPort, config.metricsHost);
  return {
    observers: [runtimeMetricsObserver(registry), ...(tracer ? [tracer] : [])],
    registry,
    metricsServer,
    async stop() {
      await Promise.allSettled([tracer?.shutdown(), metricsServer?.close()]);
    },
  };
}
