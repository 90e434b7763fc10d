/* eslint-disable @nx/enforce-module-boundaries -- the API's test harness, by relative path */
import { type RuntimeTransport } from '@integrixs/runtime';

import { startTestApp, type TestApp } from '../../../api/test/support/test-app';
import { startNatsServer, type TestNatsServer } from './nats-server';

/**
 * The job transports the runtime suites run over (describe.each): graphile-worker in
 * PostgreSQL, and NATS JetStream through the outbox on a nats-server of the suite's own.
 */
export const TRANSPORTS = ['postgres', 'nats'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** A transport for a test app's configuration; `nats` is its server (for the nats transport). */
export interface TestTransport {
  runtimeTransport: RuntimeTransport;
  nats: TestNatsServer | undefined;
}

/** The transport `name`: for NATS a nats-server of its own on a free port (`nats.close()`). */
export async function startTransport(name: TransportName): Promise<TestTransport> {
  const nats = name === 'nats' ? await startNatsServer() : undefined;
  return {
    runtimeTransport: nats ? { kind: 'nats', url: nats.url } : { kind: 'postgres' },
    nats,
  };
}

/** A test app whose API enqueues through the transport. */
export interface TransportApp extends TestTransport {
  t: TestApp;
  close(): Promise<void>;
}

/**
 * Starts the test app on the transport (and, for NATS, its nats-server first): startWorker,
 * accept and appWorkerProcess take the transport from the app's configuration.
 */
export async function startTransportApp(name: TransportName): Promise<TransportApp> {
  const transport = await startTransport(name);
  const { runtimeTransport, nats } = transport;
  const t = await startTestApp({ config: { runtimeTransport } }).catch(async (error: unknown) => {
    await nats?.close();
    throw error;
  });
  return {
    ...transport,
    t,
    async close() {
      await t.close();
      await nats?.close();
    },
  };
}

/** The variables that give a worker process the transport of the test app. */
export function transportEnv(transport: RuntimeTransport): Record<string, string> {
  return transport.kind === 'nats'
    ? { RUNTIME_TRANSPORT: 'nats', RUNTIME_NATS_URL: transport.url }
    : { RUNTIME_TRANSPORT: 'postgres' };
}
