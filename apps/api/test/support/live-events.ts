import { WebSocket } from 'ws';

import { type TestUser } from './test-app';

/** One live event as the server sends it. */
export interface LiveMessage {
  type: string;
  seq: number;
  packageId?: string;
  assetId?: string;
  assetType?: string;
  [key: string]: unknown;
}

/** A real `ws` client on `/api/events` that records what arrives and waits for matches. */
export interface EventClient {
  readonly socket: WebSocket;
  readonly messages: LiveMessage[];
  /** The next message (already received or to come) that `match` accepts. */
  next(match: (m: LiveMessage) => boolean, timeoutMs?: number): Promise<LiveMessage>;
  /** Resolves with the close code. */
  closed(): Promise<number>;
  close(): void;
}

/** `ws://…/api/events` of a listening test server's base URL. */
export function eventsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/api/events`;
}

/**
 * Connects as `user` (Authorization header, or the browser's subprotocol form) and resolves once
 * the server's `ready` arrived.
 */
export async function connectEvents(
  baseUrl: string,
  user: TestUser,
  via: 'header' | 'protocol' = 'header',
): Promise<EventClient> {
  const socket =
    via === 'header'
      ? new WebSocket(eventsUrl(baseUrl), 'integrixs.v1', {
          headers: { authorization: `Bearer ${user.token}` },
        })
      : new WebSocket(eventsUrl(baseUrl), ['integrixs.v1', `integrixs.bearer.${user.token}`]);
  const messages: LiveMessage[] = [];
  const waiters: { match: (m: LiveMessage) => boolean; resolve: (m: LiveMessage) => void }[] = [];
  let seen = 0;
  socket.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString()) as LiveMessage;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const closedWith = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const client: EventClient = {
    socket,
    messages,
    next: (match, timeoutMs = 10_000) => {
      const found = messages.slice(seen).find(match);
      if (found) {
        seen = messages.indexOf(found) + 1;
        return Promise.resolve(found);
      }
      return new Promise<LiveMessage>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no matching live event in ${timeoutMs} ms; got ${JSON.stringify(messages)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (m) => {
            clearTimeout(timer);
            seen = messages.indexOf(m) + 1;
            resolve(m);
          },
        });
      });
    },
    closed: () => closedWith,
    close: () => socket.close(),
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
    void client.next((m) => m.type === 'ready').then(() => resolve(), reject);
  });
  return client;
}

/** The HTTP status of a refused upgrade (or 101 when it was accepted). */
export function upgradeStatus(
  baseUrl: string,
  headers: Record<string, string> = {},
  protocols: string[] = ['integrixs.v1'],
): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(eventsUrl(baseUrl), protocols, { headers });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}
