/**
 * The console's end of the live-events WebSocket (`/api/events`, see docs/api.md "Live events"),
 * framework-free so its timing is testable: connect with the access token, reconnect with
 * exponential back-off and jitter, renew the token when the server ends the socket for it, and
 * say "resync" whenever events may have been missed (a reconnect, a gap in `seq`, or the server's
 * own `resync`), so the screens refetch what they show.
 */

/** One event as the server sends it (ids and small scalars only). */
export interface LiveMessage {
  readonly type: string;
  readonly seq: number;
  readonly packageId?: string;
  readonly assetId?: string;
  readonly assetType?: string;
  readonly flowId?: string;
  readonly deploymentId?: string;
  readonly version?: number;
  readonly [key: string]: unknown;
}

/** A synthetic `resync` the connection emits (never a server event). */
export const RESYNC: LiveMessage = { type: 'resync', seq: 0 };

export type LiveStatus = 'off' | 'connecting' | 'open' | 'waiting';

export const EVENTS_PROTOCOL = 'integrixs.v1';
export const BEARER_PROTOCOL_PREFIX = 'integrixs.bearer.';
/** The server's close codes: the access token expired / the session ended. */
export const CLOSE_TOKEN_EXPIRED = 4001;
export const CLOSE_SESSION_ENDED = 4401;

/** What the connection needs of a WebSocket (the browser's, or a test double). */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface LiveConnectionOptions {
  url: () => string;
  /** The current access token, or null when signed out. */
  token: () => string | null;
  /** A fresh token after `rejected` was refused, or null when the session is over. */
  renewToken: (rejected: string | null) => Promise<string | null>;
  createSocket: (url: string, protocols: string[]) => SocketLike;
  /** Every server event, and RESYNC when the screens must refetch. */
  onMessage: (message: LiveMessage) => void;
  onStatus?: (status: LiveStatus) => void;
  /** First retry delay; doubles per failed attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /** Seconds since the epoch (token expiry checks). */
  now?: () => number;
}

/**
 * The delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal
 * jitter" (between half and all of it) so clients dropped together do not return together.
 */
export function reconnectDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `exp` of a JWT (not verified: only to renew a token about to expire), or null. */
export function tokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp: unknown = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

/** Seconds before expiry within which a token is renewed before connecting with it. */
const RENEW_BEFORE_S = 15;

export class LiveConnection {
  private socket: SocketLike | null = null;
  private running = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A connection was open before: the next `ready` follows a gap. */
  private wasOpen = false;
  private expectedSeq = 1;
  private sentToken: string | null = null;
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(private readonly options: LiveConnectionOptions) {
    this.baseMs = options.baseDelayMs ?? 1_000;
    this.maxMs = options.maxDelayMs ?? 30_000;
  }

  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect();
  }

  /** Closes the socket and stops reconnecting (signed out). The next start begins afresh. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000, 'signed out');
    }
    this.wasOpen = false;
    this.status('off');
  }

  private status(status: LiveStatus): void {
    this.options.onStatus?.(status);
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    let token = this.options.token();
    const exp = token ? tokenExpiry(token) : null;
    const now = this.options.now?.() ?? Date.now() / 1000;
    if (token && exp !== null && exp - now < RENEW_BEFORE_S) {
      token = await this.options.renewToken(token);
      if (!this.running) return;
    }
    if (!token) {
      this.stop();
      return;
    }
    this.sentToken = token;
    this.status('connecting');
    const socket = this.options.createSocket(this.options.url(), [
      EVENTS_PROTOCOL,
      `${BEARER_PROTOCOL_PREFIX}${token}`,
    ]);
    this.socket = socket;
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.closed(event.code);
    };
    socket.onerror = () => undefined; // a close follows
  }

  private receive(data: unknown): void {
    let message: LiveMessage;
    try {
      message = JSON.parse(String(data)) as LiveMessage;
    } catch {
      return;
    }
    if (typeof message.type !== 'string' || typeof message.seq !== 'number') return;
    if (message.type === 'ready') {
      this.attempt = 0;
      this.expectedSeq = message.seq + 1;
      this.status('open');
      // Reconnected: whatever happened while the socket was down is unknown.
      if (this.wasOpen) this.options.onMessage(RESYNC);
      this.wasOpen = true;
      return;
    }
    const gap = message.seq !== this.expectedSeq;
    this.expectedSeq = message.seq + 1;
    if (gap || message.type === 'resync') this.options.onMessage(RESYNC);
    if (message.type !== 'resync') this.options.onMessage(message);
  }

  private closed(code: number): void {
    this.socket = null;
    if (!this.running) return;
    this.status('waiting');
    if (code === CLOSE_TOKEN_EXPIRED || code === CLOSE_SESSION_ENDED) {
      // Renew (or learn that the session is over, which signs out), then come back at once.
      void this.options.renewToken(this.sentToken).then((token) => {
        if (!this.running) return;
        if (token) this.schedule(0);
        else this.stop();
      });
      return;
    }
    this.schedule(reconnectDelay(this.attempt++, this.baseMs, this.maxMs, this.options.random));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, delayMs);
  }
}
