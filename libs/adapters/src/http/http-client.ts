/**
 * One HTTP(S) request over node:http(s), to an address the target policy already approved (the
 * Host header and TLS server name keep the original host name). Bodies stream both ways.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rootCertificates } from 'node:tls';

import type { HttpAdapterSecrets, HttpAuthConfig, HttpTlsConfig } from '@integrixs/domain';

import { required, StepFailure } from '../shared/explain-error';
import { resolveTarget, type TargetPolicy } from '../shared/target-policy';

export interface HttpCall {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Readable | string;
  tls?: HttpTlsConfig;
  secrets?: HttpAdapterSecrets;
  policy?: TargetPolicy;
  timeoutMs: number;
}

/** TLS options for node:tls from the adapter configuration (secrets come separately). */
export function tlsOptions(
  tls: HttpTlsConfig | undefined,
  secrets: HttpAdapterSecrets | undefined,
) {
  return {
    ca: tls?.caCertificate ? [tls.caCertificate] : undefined,
    cert: tls?.clientCertificate,
    key: secrets?.tls?.clientKey,
    passphrase: secrets?.tls?.clientKeyPassphrase,
    rejectUnauthorized: tls?.rejectUnauthorized ?? true,
  };
}

export async function send(call: HttpCall): Promise<IncomingMessage> {
  const target = await resolveTarget(call.url.hostname, call.policy);
  const secure = call.url.protocol === 'https:';
  const hostname = call.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RequestOptions = {
    host: target.address,
    family: target.family,
    port: call.url.port || (secure ? 443 : 80),
    path: call.url.pathname + call.url.search,
    method: call.method,
    headers: { host: call.url.host, ...call.headers },
    servername: isIP(hostname) ? undefined : hostname,
    timeout: call.timeoutMs,
    ...(secure ? tlsOptions(call.tls, call.secrets) : {}),
  };
  // Node replaces the system roots when `ca` is given; the configured bundle is meant to add.
  if (secure && options.ca) options.ca = [...rootCertificates, ...(options.ca as string[])];
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(options, resolve);
    req.once('timeout', () =>
      req.destroy(new StepFailure(`no response from ${call.url.host} within ${call.timeoutMs} ms`)),
    );
    req.once('error', reject);
    // pipeline, not pipe: a failing source must abort the request, not leave it hanging.
    if (call.body instanceof Readable)
      pipeline(call.body, req).catch((err: Error) => req.destroy(err));
    else req.end(call.body);
  });
}

/** Reads a small response body (token endpoints, error details); refuses more than `limit`. */
export async function smallBody(res: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new StepFailure(`response larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** OAuth2 client credentials (RFC 6749 §4.4) with client_secret_basic. */
export async function fetchClientCredentialsToken(
  auth: HttpAuthConfig,
  secrets: HttpAdapterSecrets | undefined,
  base: Omit<HttpCall, 'url' | 'method' | 'headers' | 'body'>,
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  const basic = Buffer.from(
    `${encodeURIComponent(auth.clientId ?? '')}:${encodeURIComponent(secrets?.auth?.clientSecret ?? '')}`,
  ).toString('base64');
  const res = await send({
    ...base,
    url: new URL(required(auth.tokenUrl, 'tokenUrl')),
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
  });
  const text = await smallBody(res);
  if (res.statusCode === 400 || res.statusCode === 401)
    throw new StepFailure(
      `token endpoint rejected client ${auth.clientId ?? ''} (HTTP ${res.statusCode})`,
    );
  if (res.statusCode !== 200)
    throw new StepFailure(`token endpoint answered HTTP ${res.statusCode}`);
  let token: unknown;
  try {
    token = (JSON.parse(text) as { access_token?: unknown }).access_token;
  } catch {
    throw new StepFailure('token endpoint did not answer JSON');
  }
  if (typeof token !== 'string' || !token)
    throw new StepFailure('token endpoint answer has no access_token');
  return token;
}

/** The Authorization (or API key) header for the configured scheme. */
export async function authHeaders(
  auth: HttpAuthConfig | undefined,
  secrets: HttpAdapterSecrets | undefined,
  base: Omit<HttpCall, 'url' | 'method' | 'headers' | 'body'>,
): Promise<Record<string, string>> {
  switch (auth?.type ?? 'none') {
    case 'basic': {
      const pair = `${auth?.username ?? ''}:${secrets?.auth?.password ?? ''}`;
      return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
    }
    case 'bearer':
      return { authorization: `Bearer ${secrets?.auth?.token ?? ''}` };
    case 'api-key':
      return { [auth?.headerName ?? 'X-API-Key']: secrets?.auth?.apiKey ?? '' };
    case 'oauth2-client-credentials':
      return {
        authorization: `Bearer ${await fetchClientCredentialsToken(required(auth, 'auth'), secrets, base)}`,
      };
    default:
      return {};
  }
}
