/**
 * A real HTTPS server for the tests (node:https with a certificate from the test CA): a health
 * route behind basic, bearer or API key authentication, an OAuth2 token endpoint, an echo route
 * that streams the request body back, and an optional client certificate requirement.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

import type { TestCertificates } from './certs';

export interface TestHttpsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export const HTTP_TEST_CREDENTIALS = {
  user: 'api-user',
  password: 'http-secret-1',
  token: 'bearer-secret-1',
  apiKey: 'api-key-secret-1',
  clientId: 'integrixs',
  clientSecret: 'client-secret-1',
  issuedToken: 'issued-token-1',
};

function authorized(req: IncomingMessage): boolean {
  const c = HTTP_TEST_CREDENTIALS;
  const header = req.headers.authorization ?? '';
  return (
    header === `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}` ||
    header === `Bearer ${c.token}` ||
    header === `Bearer ${c.issuedToken}` ||
    req.headers['x-api-key'] === c.apiKey
  );
}

function handle(req: IncomingMessage, res: ServerResponse, requireClientCert: boolean): void {
  const c = HTTP_TEST_CREDENTIALS;
  const socket = req.socket as TLSSocket;
  if (requireClientCert && !socket.authorized) {
    res.writeHead(495).end();
    return;
  }
  if (req.url === '/oauth/token' && req.method === 'POST') {
    const expected = `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_client"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: c.issuedToken, token_type: 'Bearer', expires_in: 60 }));
    return;
  }
  if (!authorized(req)) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
    return;
  }
  if (req.url === '/api/health') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (req.url === '/api/echo') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    req.pipe(res);
    return;
  }
  res.writeHead(404).end();
}

export async function startHttpsServer(
  certs: TestCertificates,
  options: { requireClientCert?: boolean } = {},
): Promise<TestHttpsServer> {
  const server: Server = createHttpsServer(
    {
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: [certs.ca],
      requestCert: options.requireClientCert ?? false,
      rejectUnauthorized: false,
    },
    (req, res) => handle(req, res, options.requireClientCert ?? false),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
