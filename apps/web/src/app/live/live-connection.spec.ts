/**
 * @jest-environment node
 */
import { type AddressInfo } from 'node:net';

import { WebSocket, WebSocketServer } from 'ws';

import {
  CLOSE_SESSION_ENDED,
  CLOSE_TOKEN_EXPIRED,
  LiveConnection,
  reconnectDelay,
  tokenExpiry,
  type LiveMessage,
  type LiveStatus,
  type SocketLike,
} from './live-connection';

/**
 * LiveConnection against a real WebSocket server on 127.0.0.1 (the `ws` package, speaking the
 * API's protocol: `ready`, events with a per-connection `seq`, close codes), so reconnects,
 * back-off and resyncs run over real sockets.
 */
interface Server {
  url: string;
  /** The bearer token of each accepted connection, in order. */
  tokens: string[];
  /** When each upgrade attempt arrived (ms). */
  attempts: number[];
  sockets: WebSocket[];
  /** Refuse upgrades (401) while true. */
  refuse: boolean;
  close(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const server: Server = {
    url: '',
    tokens: [],
    attempts: [],
    sockets: [],
    refuse: false,
    close: async () => {
      for (const socket of server.sockets) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('integrixs.v1') ? 'integrixs.v1' : false),
    verifyClient: (_info: unknown, done: (ok: boolean, code?: number) => void) => {
      server.attempts.push(Date.now());
      done(!server.refuse, 401);
    },
  });
  wss.on('connection', (socket, request) => {
    const bearer = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith('integrixs.bearer.'));
    server.tokens.push(bearer?.slice('integrixs.bearer.'.length) ?? '');
    server.sockets.push(socket);
    socket.send(JSON.stringify({ type: 'ready', seq: 1, userId: 'u', heartbeatMs: 30000 }));
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  server.url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/api/events`;
  return server;
}

function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out waiting'));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** A JWT-shaped token with `exp` (the connection only reads it, never verifies). */
function jwtWithExp(exp: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ exp })}.signature`;
}

describe('reconnectDelay', () => {
  it('doubles per attempt up to the cap, with jitter between half and all of it', () => {
    expect([0, 1, 2, 3].map((n) => reconnectDelay(n, 1000, 30000, () => 1))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(reconnectDelay(10, 1000, 30000, () => 1)).toBe(30000);
    expect(reconnectDelay(2, 1000, 30000, () => 0)).toBe(2000);
    for (let i = 0; i < 50; i++) {
      const delay = reconnectDelay(3, 1000, 30000);
      expect(delay).toBeGreaterThanOrEqual(4000);
      expect(delay).toBeLessThanOrEqual(8000);
    }
  });
});

describe('tokenExpiry', () => {
  it("reads a JWT's exp, and null for anything else", () => {
    expect(tokenExpiry(jwtWithExp(1234))).toBe(1234);
    expect(tokenExpiry('ixt_apitoken')).toBeNull();
    expect(tokenExpiry('a.%%%.c')).toBeNull();
  });
});

describe('LiveConnection', () => {
  let server: Server;
  let connection: LiveConnection | undefined;
  let received: LiveMessage[];
  let statuses: LiveStatus[];
  let token: string;
  let renewals: (string | null)[];

  beforeEach(async () => {
    server = await startServer();
    received = [];
    statuses = [];
    token = 'token-1';
    renewals = [];
  });

  afterEach(async () => {
    connection?.stop();
    await server.close();
  });

  /** `sessionOver`: renewing fails (the API refused the refresh: the console signs out). */
  function connect(options: { baseDelayMs?: number; sessionOver?: boolean } = {}): LiveConnection {
    connection = new LiveConnection({
      url: () => server.url,
      token: () => token,
      renewToken: (rejected) => {
        renewals.push(rejected);
        if (options.sessionOver) return Promise.resolve(null);
        token = `token-${renewals.length + 1}`;
        return Promise.resolve(token);
      },
      createSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
      onMessage: (message) => received.push(message),
      onStatus: (status) => statuses.push(status),
      baseDelayMs: options.baseDelayMs ?? 20,
      maxDelayMs: 200,
      random: () => 1,
    });
    connection.start();
    return connection;
  }

  const types = () => received.map((m) => m.type);

  it('connects with the token as a subprotocol and passes events on in order', async () => {
    connect();
    await until(() => statuses.includes('open'));
    expect(server.tokens).toEqual(['token-1']);
    const [socket] = server.sockets;
    socket?.send(JSON.stringify({ type: 'asset.created', seq: 2, packageId: 'p', assetId: 'a' }));
    socket?.send(JSON.stringify({ type: 'asset.updated', seq: 3, packageId: 'p', assetId: 'a' }));
    await until(() => received.length === 2);
    expect(types()).toEqual(['asset.created', 'asset.updated']);
    expect(statuses).toEqual(['connecting', 'open']);
  });

  it('says resync when a seq is skipped, or when the server asks for one', async () => {
    connect();
    await until(() => statuses.includes('open'));
    const [socket] = server.sockets;
    socket?.send(JSON.stringify({ type: 'asset.created', seq: 2, packageId: 'p' }));
    socket?.send(JSON.stringify({ type: 'asset.updated', seq: 5, packageId: 'p' })); // 3, 4 lost
    socket?.send(JSON.stringify({ type: 'resync', seq: 6 }));
    socket?.send(JSON.stringify({ type: 'asset.deleted', seq: 7, packageId: 'p' }));
    await until(() => received.length === 5);
    expect(types()).toEqual([
      'asset.created',
      'resync',
      'asset.updated',
      'resync',
      'asset.deleted',
    ]);
  });

  it('reconnects after a drop with growing delays, then resyncs', async () => {
    connect({ baseDelayMs: 40 });
    await until(() => statuses.includes('open'));
    server.refuse = true;
    server.sockets[0]?.terminate();
    await until(() => server.attempts.length >= 4);
    server.refuse = false;
    await until(() => server.tokens.length === 2, 8000);
    // Attempts 2, 3, 4 came after 40, 80, 160 ms (random() = 1: the whole delay).
    const gaps = server.attempts.slice(1).map((at, i) => at - (server.attempts[i] ?? 0));
    expect(gaps[1]).toBeGreaterThanOrEqual(70);
    expect(gaps[2]).toBeGreaterThanOrEqual(150);
    await until(() => received.length === 1);
    expect(types()).toEqual(['resync']);
    expect(statuses.filter((s) => s === 'waiting').length).toBeGreaterThanOrEqual(4);
    expect(statuses.at(-1)).toBe('open');
  });

  it('renews the access token when the server ends the socket for it, and returns at once', async () => {
    connect({ baseDelayMs: 5000 });
    await until(() => statuses.includes('open'));
    server.sockets[0]?.close(CLOSE_TOKEN_EXPIRED, 'token expired');
    await until(() => server.tokens.length === 2, 2000);
    expect(renewals).toEqual(['token-1']);
    expect(server.tokens).toEqual(['token-1', 'token-2']);
  });

  it('stops without retrying when the server ends a revoked session (4401) that cannot be renewed', async () => {
    const live = connect({ baseDelayMs: 20, sessionOver: true });
    await until(() => statuses.includes('open'));
    server.sockets[0]?.close(CLOSE_SESSION_ENDED, 'session ended');
    await until(() => statuses.at(-1) === 'off');
    expect(renewals).toEqual(['token-1']);
    expect(live.active).toBe(false);
    // Several back-off delays later still no new attempt.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.attempts).toHaveLength(1);
  });

  it('renews a token about to expire before connecting with it', async () => {
    token = jwtWithExp(Math.floor(Date.now() / 1000) + 5);
    const stale = token;
    connect();
    await until(() => statuses.includes('open'));
    expect(renewals).toEqual([stale]);
    expect(server.tokens).toEqual(['token-2']);
  });

  it('stops for good when signed out', async () => {
    const live = connect();
    await until(() => statuses.includes('open'));
    live.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.attempts).toHaveLength(1);
    expect(statuses.at(-1)).toBe('off');
    expect(live.active).toBe(false);
  });
});
