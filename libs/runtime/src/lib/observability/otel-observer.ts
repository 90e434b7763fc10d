import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

import { type RuntimeObserver, type StepEvent } from '../runtime-observer';
import { loadRuntimeMonitoringConfig } from './monitoring-config';

export interface OtelObserverOptions {
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  url: string;
  serviceName?: string;
  headers?: Record<string, string>;
}

/** A RuntimeObserver that exports traces; flush or shut it down when the process stops. */
export interface OtelObserver extends RuntimeObserver {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Steps of attempts still running; beyond this many, the oldest attempts' steps are dropped. */
const MAX_OPEN_ATTEMPTS = 10_000;

/**
 * OpenTelemetry traces per message: one span per message attempt (`integrixs.message`) with a
 * child span per step, carrying the flow, deployment, environment and message ids. Spans are
 * built when the attempt finishes (the engine reports steps after the fact) and exported in
 * batches over OTLP/HTTP. Its own tracer provider, never registered globally.
 */
export function otelObserver(options: OtelObserverOptions): OtelObserver {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName ?? 'integrixs-runtime',
    }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: options.url, headers: options.headers })),
    ],
  });
  const tracer = provider.getTracer('@integrixs/runtime');
  const steps = new Map<string, StepEvent[]>();
  const key = (e: { messageId: string; attempt: number }) => `${e.messageId}/${e.attempt}`;
  return {
    stepFinished(e) {
      const list = steps.get(key(e)) ?? [];
      if (list.length === 0) {
        if (steps.size >= MAX_OPEN_ATTEMPTS) steps.delete(steps.keys().next().value as string);
        steps.set(key(e), list);
      }
      list.push(e);
    },
    messageFinished(e) {
      const attributes: Attributes = {
        'integrixs.message.id': e.messageId,
        'integrixs.flow.id': e.flowId,
        'integrixs.package.id': e.packageId,
        'integrixs.deployment.id': e.deploymentId,
        'integrixs.environment': e.environment,
        'integrixs.message.trigger': e.trigger,
        'integrixs.message.attempt': e.attempt,
        'integrixs.message.status': e.status,
        'integrixs.message.waited_ms': e.waitedMs,
      };
      const root = tracer.startSpan(
        'integrixs.message',
        { kind: SpanKind.CONSUMER, startTime: e.startedAt, attributes },
        context.active(),
      );
      if (e.error) {
        root.setStatus({
          code: SpanStatusCode.ERROR,
          message: `${e.error.code}: ${e.error.message}`,
        });
        root.setAttribute('integrixs.error.node', e.error.nodeId);
      }
      const parent = trace.setSpan(context.active(), root);
      for (const step of steps.get(key(e)) ?? []) {
        const span = tracer.startSpan(
          `integrixs.step ${step.kind}`,
          {
            startTime: step.startedAt,
            attributes: {
              'integrixs.message.id': e.messageId,
              'integrixs.flow.id': e.flowId,
              'integrixs.environment': e.environment,
              'integrixs.step.node': step.nodeId,
              'integrixs.step.kind': step.kind,
              'integrixs.step.status': step.status,
            },
          },
          parent,
        );
        if (step.error)
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: `${step.error.code}: ${step.error.message}`,
          });
        span.end(new Date(step.startedAt.getTime() + step.durationMs));
      }
      steps.delete(key(e));
      root.end(new Date(e.startedAt.getTime() + e.durationMs));
    },
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** The tracer when OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set; undefined (off) otherwise. */
export function otelObserverFromEnv(
  env: Record<string, string | undefined> = process.env,
): OtelObserver | undefined {
  const url = loadRuntimeMonitoringConfig(env).otlpTracesEndpoint;
  return url === undefined
    ? undefined
    : otelObserver({ url, serviceName: env['OTEL_SERVICE_NAME']?.trim() || undefined });
}
