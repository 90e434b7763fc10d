/**
 * HTTP/REST: connection test (resolve → connect → tls → authenticate → request) and a session
 * whose requests and responses are streams.
 */
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { rootCertificates, connect as tlsConnect } from 'node:tls';

import type { HttpAdapterConfig, HttpAdapterSecrets } from '@integrixs/domain';

import {
  stepBudget,
  type ConnectionTestOptions,
  type HttpResponse,
  type HttpSession,
} from '../shared/adapter';
import { required, StepFailure } from '../shared/explain-error';
import { resolveAndConnect } from '../shared/network';
import { isTransient, withRetries } from '../shared/retry';
import { StepRunner, type ConnectionTestResult } from '../shared/steps';
import { authHeaders, send, tlsOptions } from './http-client';

function tlsHandshake(
  address: string,
  url: URL,
  config: HttpAdapterConfig,
  secrets: HttpAdapterSecrets,
): Promise<string> {
  const opts = tlsOptions(config.tls, secrets);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: address,
      port: Number(url.port || 443),
      servername: isIP(host) ? undefined : host,
      ...opts,
      ca: opts.ca ? [...rootCertificates, ...opts.ca] : undefined,
    });
    socket.once('secureConnect', () => {
      const summary = `${socket.getProtocol() ?? 'TLS'}, certificate for ${
        (socket.getPeerCertificate().subject?.CN as string | undefined) ?? host
      }${socket.authorized ? ' trusted' : ' NOT verified (rejectUnauthorized is off)'}`;
      socket.end();
      resolve(summary);
    });
    socket.once('error', (err: Error) => {
      socket.destroy();
      reject(err);
    });
  });
}

function statusAccepted(config: HttpAdapterConfig, status: number): boolean {
  return config.expectedStatus
    ? config.expectedStatus.includes(status)
    : status >= 200 && status < 300;
}

export async function testHttpAdapter(
  config: HttpAdapterConfig,
  secrets: HttpAdapterSecrets = {},
  options?: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const runner = new StepRunner(stepBudget(options, config.connectTimeoutMs), options?.onStep);
  const url = new URL(config.baseUrl);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const target = await resolveAndConnect(
    runner,
    url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    options,
  );
  if (secure)
    await runner.run(
      'tls',
      () => tlsHandshake(required(target, 'target').address, url, config, secrets),
      (s) => s,
    );
  else runner.skip('tls', 'plain HTTP: no TLS');

  const requestTimeoutMs = stepBudget(options, config.requestTimeoutMs);
  const base = { tls: config.tls, secrets, policy: options?.policy, timeoutMs: requestTimeoutMs };
  const authType = config.auth?.type ?? 'none';
  const headers = await runner.run(
    'authenticate',
    () => authHeaders(config.auth, secrets, base),
    () =>
      authType === 'oauth2-client-credentials'
        ? 'access token obtained from the token endpoint'
        : authType === 'none'
          ? 'no authentication configured'
          : `${authType} credentials attached`,
  );
  const healthUrl = new URL(
    (url.pathname.replace(/\/$/, '') + (config.healthPath ?? '/')).replace(/^\/\//, '/'),
    url,
  );
  await runner.run(
    'request',
    async () => {
      const res = await send({
        ...base,
        url: healthUrl,
        method: 'GET',
        headers: { ...(config.headers ?? {}), ...headers },
      });
      const status = res.statusCode ?? 0;
      res.resume();
      if (status === 401 || status === 403)
        throw new StepFailure(
          `authentication failed: ${healthUrl.pathname} answered HTTP ${status}` +
            (authType === 'basic' ? ` for user ${config.auth?.username ?? ''}` : ''),
        );
      if (!statusAccepted(config, status))
        throw new StepFailure(
          `${healthUrl.pathname} answered HTTP ${status}, expected ${
            config.expectedStatus?.join(', ') ?? 'a 2xx status'
          }`,
        );
      return status;
    },
    (status) => `GET ${healthUrl.pathname} answered HTTP ${status}`,
    requestTimeoutMs,
  );
  return runner.result();
}

export class HttpAdapterSession implements HttpSession {
  constructor(
    private readonly config: HttpAdapterConfig,
    private readonly secrets: HttpAdapterSecrets,
    private readonly options?: ConnectionTestOptions,
  ) {}

  async request(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: Readable | string } = {},
  ): Promise<HttpResponse> {
    const base = {
      tls: this.config.tls,
      secrets: this.secrets,
      policy: this.options?.policy,
      timeoutMs: this.config.requestTimeoutMs ?? 30000,
    };
    const auth = await authHeaders(this.config.auth, this.secrets, base);
    const root = new URL(this.config.baseUrl);
    const url = new URL(root.pathname.replace(/\/$/, '') + path, root);
    const method = init.method ?? this.config.method ?? 'POST';
    const call = () =>
      send({
        ...base,
        url,
        method,
        headers: { ...(this.config.headers ?? {}), ...(init.headers ?? {}), ...auth },
        body: init.body,
      });
    // A streamed body cannot be replayed, so it never retries. A POST/PATCH retries only when
    // the connection was refused (nothing was sent); idempotent methods on any transient error.
    const idempotent = ['GET', 'PUT', 'DELETE'].includes(method);
    const res =
      typeof init.body === 'object'
        ? await call()
        : await withRetries(call, this.config.retries, (e) =>
            idempotent ? isTransient(e) : (e as { code?: string }).code === 'ECONNREFUSED',
          );
    return { status: res.statusCode ?? 0, headers: res.headers, body: res };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
