import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo } from 'node:net';

import { loadRuntimeMonitoringConfig } from './monitoring-config';
import { otelObserver, otelObserverFromEnv } from './otel-observer';

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
}
interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A local OTLP/HTTP receiver: keeps what is POSTed to /v1/traces. */
async function startReceiver() {
  const received: { path: string; contentType: string; body: OtlpExport }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: String(req.headers['content-type']),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe('otelObserver', () => {
  it('is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set, and targets its /v1/traces', () => {
    expect(otelObserverFromEnv({})).toBeUndefined();
    expect(
      loadRuntimeMonitoringConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })
        .otlpTracesEndpoint,
    ).toBe('http://collector:4318/v1/traces');
    expect(() => loadRuntimeMonitoringConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT must be an http/,
    );
  });

  it('exports one span per message with a child span per step to an OTLP/HTTP receiver', async () => {
    const receiver = await startReceiver();
    const observer = otelObserverFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: 'integrixs-worker-test',
    });
    if (!observer) throw new Error('tracing should be on');
    try {
      const startedAt = new Date(Date.now() - 100);
      const message = {
        packageId: 'p1',
        flowId: 'flow-1',
        deploymentId: 'dep-1',
        environmentId: 'env-1',
        environment: 'TEST',
        messageId: 'msg-1',
        trigger: 'HTTP' as const,
        attempt: 1,
      };
      observer.stepFinished?.({
        ...message,
        nodeId: 'validate',
        kind: 'VALIDATE',
        status: 'SUCCEEDED',
        startedAt,
        durationMs: 10,
      });
      observer.stepFinished?.({
        ...message,
        nodeId: 'send',
        kind: 'TARGET',
        status: 'FAILED',
        startedAt: new Date(startedAt.getTime() + 10),
        durationMs: 40,
        error: { code: 'ECONNREFUSED', message: 'refused' },
      });
      observer.messageFinished?.({
        ...message,
        status: 'RETRYING',
        startedAt,
        durationMs: 60,
        waitedMs: 3,
        error: { nodeId: 'send', code: 'ECONNREFUSED', message: 'refused' },
      });
      await observer.forceFlush();
      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      expect(request.path).toBe('/v1/traces');
      expect(request.contentType).toContain('application/json');
      const [resourceSpans] = request.body.resourceSpans;
      expect(resourceSpans.resource.attributes).toContainEqual({
        key: 'service.name',
        value: { stringValue: 'integrixs-worker-test' },
      });
      const spans = resourceSpans.scopeSpans.flatMap((s) => s.spans);
      const root = spans.find((s) => s.name === 'integrixs.message');
      if (!root) throw new Error(`no message span in ${JSON.stringify(spans)}`);
      expect(attr(root, 'integrixs.message.id')).toEqual({ stringValue: 'msg-1' });
      expect(attr(root, 'integrixs.flow.id')).toEqual({ stringValue: 'flow-1' });
      expect(attr(root, 'integrixs.environment')).toEqual({ stringValue: 'TEST' });
      expect(root.status?.code).toBe(2); // ERROR
      const children = spans.filter((s) => s.parentSpanId === root.spanId);
      expect(children.map((s) => s.name).sort()).toEqual([
        'integrixs.step TARGET',
        'integrixs.step VALIDATE',
      ]);
      expect(children.every((s) => s.traceId === root.traceId)).toBe(true);
      const target = children.find((s) => s.name.endsWith('TARGET'));
      expect(target && attr(target, 'integrixs.step.node')).toEqual({ stringValue: 'send' });
    } finally {
      await observer.shutdown();
      await receiver.close();
    }
  });

  it('keeps no steps once their message finished', async () => {
    const receiver = await startReceiver();
    const observer = otelObserver({ url: `${receiver.endpoint}/v1/traces` });
    const message = {
      packageId: 'p',
      flowId: 'f',
      deploymentId: 'd',
      environmentId: 'e',
      environment: 'DEV',
      messageId: 'm',
      trigger: 'MANUAL' as const,
      attempt: 1,
    };
    const startedAt = new Date();
    observer.stepFinished?.({
      ...message,
      nodeId: 'a',
      kind: 'MAP',
      status: 'SUCCEEDED',
      startedAt,
      durationMs: 1,
    });
    observer.messageFinished?.({
      ...message,
      status: 'SUCCEEDED',
      startedAt,
      durationMs: 2,
      waitedMs: 0,
    });
    observer.messageFinished?.({
      ...message,
      attempt: 2,
      status: 'SUCCEEDED',
      startedAt,
      durationMs: 2,
      waitedMs: 0,
    });
    await observer.forceFlush();
    const spans = receiver.received.flatMap((r) =>
      r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)),
    );
    expect(spans.filter((s) => s.name === 'integrixs.message')).toHaveLength(2);
    expect(spans.filter((s) => s.name.startsWith('integrixs.step'))).toHaveLength(1);
    await observer.shutdown();
    await receiver.close();
  });
});
