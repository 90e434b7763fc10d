import { type IncomingMessage } from 'node:http';

import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import jwt from 'jsonwebtoken';
import { WebSocket, type WebSocketServer } from 'ws';

import { roleAllows } from '@integrixs/domain';

import { DatabaseNotifications } from '../core/database/database-notifications';
import { UnauthenticatedError } from '../core/errors/app-error';
import { ACCESS_CHANNEL } from '../identity/access-cache';
import { AccessService } from '../identity/access.service';
import { type Principal } from '../identity/principal';
import { BearerAuthenticator } from '../identity/strategies';
import {
  BEARER_PROTOCOL_PREFIX,
  CLOSE_SESSION_ENDED,
  CLOSE_TOKEN_EXPIRED,
  EVENT_CHANNELS,
  EVENTS_PATH,
  EVENTS_PROTOCOL,
  routedEventOf,
  type LiveEvent,
  type RoutedEvent,
} from './live-events';

/** How often every socket is pinged; one that has not answered the previous ping is dropped. */
export const HEARTBEAT_MS = 30_000;
/** Bytes queued for a client beyond which its events are dropped (it sees a seq gap, resyncs). */
const MAX_BUFFERED_BYTES = 1 << 20;
/** Events waiting for their access check per client beyond which they are dropped (a gap). */
const MAX_PENDING = 1_000;
/** A burst of listener resets (one per channel) becomes one `resync`. */
const RESYNC_DEBOUNCE_MS = 500;
/** setTimeout's longest delay; a later expiry is caught by the heartbeat and each delivery. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Client {
  readonly socket: WebSocket;
  /** As of the upgrade, refreshed on every revocation check of its user. */
  principal: Principal;
  /** When its credentials stop working (epoch ms), or null (never). */
  readonly expiresAt: number | null;
  /** When it was opened (epoch ms). */
  readonly connectedAt: number;
  seq: number;
  alive: boolean;
  /** Delivery in order: each event's access check runs after the previous one's. */
  chain: Promise<void>;
  pending: number;
  expiry: NodeJS.Timeout | undefined;
}

/** Authenticated upgrades: the principal and its expiry (epoch ms), from verifyClient to connection. */
const upgrades = new WeakMap<IncomingMessage, { principal: Principal; expiresAt: number | null }>();

/** A bearer token from `Authorization: Bearer …` or a `integrixs.bearer.<token>` subprotocol. */
function credentialsOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.length > 0) return header;
  const protocols = (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const token = protocols.find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
  return token ? `Bearer ${token.slice(BEARER_PROTOCOL_PREFIX.length)}` : undefined;
}

/** When the credentials stop working (epoch ms): an access token's `exp`, an API token's expiry. */
function expiryOf(authorization: string, principal: Principal): number | null {
  if (principal.token) return principal.token.expiresAt?.getTime() ?? null;
  const decoded = jwt.decode(authorization.replace(/^bearer\s+/i, ''));
  return decoded && typeof decoded === 'object' && typeof decoded.exp === 'number'
    ? decoded.exp * 1000
    : null;
}

/**
 * Live updates for the console (issue 14) at `/api/events`: a WebSocket on the API's own HTTP
 * server. The upgrade is authenticated like any REST call (an access token or API token, in the
 * Authorization header or, from a browser, as the `integrixs.bearer.<token>` subprotocol next to
 * `integrixs.v1`); anything else is refused with 401 before the upgrade.
 *
 * Events come from PostgreSQL NOTIFY (sent at commit by triggers and writers) through the
 * instance's one LISTEN connection, so every API instance forwards every change, whichever
 * instance made it. Each event goes only to the connections whose user may read its package
 * (checked per event with the access cache).
 *
 * A socket lives no longer than its credentials: a revoked session or API token or a disabled
 * user (the `user:`, `session:` and `token:` notifications of integrixs_access) closes it with
 * 4401, which the console takes as "signed out"; at its expiry it closes with 4001 (the console
 * renews its access token and reconnects), and no event is sent past the expiry.
 */
@WebSocketGateway({
  path: EVENTS_PATH,
  maxPayload: 4096,
  handleProtocols: (protocols: Set<string>) =>
    protocols.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false,
})
export class EventsGateway
  implements
    OnGatewayInit<WebSocketServer>,
    OnGatewayConnection,
    OnGatewayDisconnect,
    OnModuleDestroy
{
  private readonly logger = new Logger(EventsGateway.name);
  private readonly clients = new Map<WebSocket, Client>();
  private heartbeat: NodeJS.Timeout | undefined;
  private resync: NodeJS.Timeout | undefined;
  /** When the listener last (re)started: sockets opened later missed nothing. */
  private resetAt = 0;
  /** Ping interval (tests shorten it). */
  heartbeatMs = HEARTBEAT_MS;

  constructor(
    private readonly bearer: BearerAuthenticator,
    private readonly access: AccessService,
    notifications: DatabaseNotifications,
    adapterHost: HttpAdapterHost,
  ) {
    for (const channel of EVENT_CHANNELS) {
      notifications.subscribe(channel, {
        message: (payload) => {
          const routed = routedEventOf(channel, payload);
          if (routed) this.dispatch(routed);
        },
        // Listening stopped or restarted: events may have been missed.
        reset: () => this.scheduleResync(),
      });
    }
    notifications.subscribe(ACCESS_CHANNEL, {
      message: (payload) => this.credentialsChanged(payload),
      reset: () => undefined, // the resync above re-checks every socket
    });
    // Fastify's close waits for every connection, upgraded ones included: end them first.
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('preClose', (done) => {
      void this.closeAll().then(() => done());
    });
  }

  /** Number of open connections (for tests and metrics). */
  get connections(): number {
    return this.clients.size;
  }

  afterInit(server: WebSocketServer): void {
    // The decorator's options are static; the check needs this instance's services.
    (server.options as { verifyClient?: unknown }).verifyClient = (
      info: { req: IncomingMessage },
      done: (ok: boolean, code?: number, message?: string) => void,
    ) => {
      this.authenticate(info.req).then(
        (ok) => done(ok, ok ? undefined : 401, ok ? undefined : 'Unauthorized'),
        (error: unknown) => {
          this.logger.warn(`event socket refused: ${(error as Error).message}`);
          done(false, 503, 'Service Unavailable');
        },
      );
    };
    this.startHeartbeat();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const upgrade = upgrades.get(request);
    if (!upgrade) {
      socket.close(CLOSE_SESSION_ENDED, 'unauthenticated');
      return;
    }
    const client: Client = {
      socket,
      principal: upgrade.principal,
      expiresAt: upgrade.expiresAt,
      connectedAt: Date.now(),
      seq: 0,
      alive: true,
      chain: Promise.resolve(),
      pending: 0,
      expiry: undefined,
    };
    const ms = upgrade.expiresAt === null ? null : Math.max(0, upgrade.expiresAt - Date.now());
    if (ms !== null && ms <= MAX_TIMER_MS) {
      // The client renews its access token and reconnects (the console does it on this code).
      client.expiry = setTimeout(() => this.closeIfExpired(client), ms);
    }
    socket.on('pong', () => (client.alive = true));
    this.clients.set(socket, client);
    this.send(client, {
      type: 'ready',
      userId: client.principal.userId,
      heartbeatMs: this.heartbeatMs,
    });
  }

  handleDisconnect(socket: WebSocket): void {
    const client = this.clients.get(socket);
    clearTimeout(client?.expiry);
    this.clients.delete(socket);
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.resync);
  }

  /** Ends every connection (1001: the client reconnects, to this or another instance). */
  async closeAll(): Promise<void> {
    clearInterval(this.heartbeat);
    const sockets = [...this.clients.keys()];
    if (sockets.length === 0) return;
    const closed = sockets.map(
      (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
    );
    for (const socket of sockets) socket.close(1001, 'server shutting down');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => (timer = setTimeout(resolve, 1_000))),
    ]);
    clearTimeout(timer);
    for (const socket of sockets) socket.terminate();
  }

  private async authenticate(request: IncomingMessage): Promise<boolean> {
    const authorization = credentialsOf(request);
    if (authorization === undefined) return false;
    try {
      const claimed = await this.bearer.authenticate({
        headers: { authorization },
      } as FastifyRequest);
      // The user's current state and the session, as every request checks them.
      const { principal } = await this.access.resolve(claimed, null);
      upgrades.set(request, { principal, expiresAt: expiryOf(authorization, principal) });
      return true;
    } catch (error) {
      if (error instanceof UnauthenticatedError) return false;
      throw error;
    }
  }

  private startHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      for (const client of this.clients.values()) {
        if (this.closeIfExpired(client)) continue;
        if (!client.alive) {
          client.socket.terminate();
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Restarts the heartbeat with another interval (tests). */
  setHeartbeat(ms: number): void {
    this.heartbeatMs = ms;
    this.startHeartbeat();
  }

  private scheduleResync(): void {
    this.resetAt = Date.now();
    clearTimeout(this.resync);
    this.resync = setTimeout(() => {
      for (const client of this.clients.values()) {
        if (client.connectedAt > this.resetAt) continue; // opened after: missed nothing
        // Revocations may have been missed too.
        this.recheck(client);
        this.send(client, { type: 'resync' });
      }
    }, RESYNC_DEBOUNCE_MS);
    this.resync.unref();
  }

  /** `user:<id>`, `session:<family id>`, `token:<id>`: re-checks the sockets they concern. */
  private credentialsChanged(payload: string): void {
    const [kind, id] = payload.split(':');
    const concerned = (p: Principal) =>
      (kind === 'user' && p.userId === id) ||
      (kind === 'session' && p.sessionId === id) ||
      (kind === 'token' && p.token?.id === id);
    for (const client of this.clients.values()) {
      if (concerned(client.principal)) this.recheck(client);
    }
  }

  /**
   * Closes the socket (4401) when its credentials no longer work, else refreshes its principal
   * (a changed role). In the delivery chain: no event queued after the change goes out before.
   */
  private recheck(client: Client): void {
    client.chain = client.chain.then(async () => {
      if (client.socket.readyState !== WebSocket.OPEN) return;
      let current: Principal | null;
      try {
        current = await this.access.current(client.principal);
      } catch {
        return; // database down: each delivery's own check decides
      }
      if (current) client.principal = current;
      else
        client.socket.close(
          CLOSE_SESSION_ENDED,
          client.principal.token ? 'token revoked' : 'session ended',
        );
    });
  }

  /** Closes the socket (4001) once its credentials have expired; true when it did. */
  private closeIfExpired(client: Client): boolean {
    if (client.expiresAt === null || Date.now() < client.expiresAt) return false;
    if (client.socket.readyState === WebSocket.OPEN)
      client.socket.close(CLOSE_TOKEN_EXPIRED, 'token expired');
    return true;
  }

  private dispatch(routed: RoutedEvent): void {
    for (const client of this.clients.values()) {
      if (routed.userId !== undefined && routed.userId !== client.principal.userId) continue;
      if (client.pending >= MAX_PENDING) {
        client.seq++; // dropped: the client sees the gap and resynchronises
        continue;
      }
      client.pending++;
      client.chain = client.chain
        .then(() => this.deliver(client, routed))
        .finally(() => client.pending--);
    }
  }

  private async deliver(client: Client, routed: RoutedEvent): Promise<void> {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    let readable: boolean;
    try {
      readable = await this.mayRead(client.principal, routed.event.packageId);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        client.socket.close(CLOSE_SESSION_ENDED, 'session ended');
        return;
      }
      client.seq++; // could not decide (database down): a gap, the client resynchronises
      return;
    }
    // A membership change concerns its user even when it took their access away.
    if (readable || routed.event.type === 'membership.changed') this.send(client, routed.event);
  }

  private async mayRead(principal: Principal, packageId: string): Promise<boolean> {
    if (principal.token && !principal.token.permissions.includes('package:read')) return false;
    const { packageRole } = await this.access.resolve(principal, packageId);
    return packageRole !== null && roleAllows(packageRole, 'package:read');
  }

  private send(client: Client, event: LiveEvent): void {
    if (this.closeIfExpired(client)) return;
    client.seq++;
    if (client.socket.readyState !== WebSocket.OPEN) return;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) return; // a gap for a slow client
    client.socket.send(JSON.stringify({ ...event, seq: client.seq }));
  }
}
