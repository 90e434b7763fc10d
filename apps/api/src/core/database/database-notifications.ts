import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { type PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

import { APP_CONFIG, type AppConfig } from '../config/app-config';

const RECONNECT_MS = 1_000;

/** What a cache does with the notifications of its channel. */
export interface NotificationHandler {
  /** One notification (sent by a database trigger at commit). */
  message(payload: string): void;
  /** Listening started or stopped: anything cached may be stale. */
  reset(): void;
}

/**
 * One connection LISTENing to the channels database triggers NOTIFY at commit, for the
 * per-instance caches that must drop entries when another instance changes what they hold.
 * While it is down `listening` is false (caches must not cache), and every handler is reset when
 * it goes down and when it is back. Subscribe in a constructor: channels are LISTENed on connect.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly handlers = new Map<string, NotificationHandler[]>();
  private client: Client | undefined;
  private stopped = false;
  private reconnect: NodeJS.Timeout | undefined;
  private up = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get listening(): boolean {
    return this.up;
  }

  subscribe(channel: string, handler: NotificationHandler): void {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.up = false;
    await this.client?.end().catch(() => undefined);
  }

  private resetAll(): void {
    for (const handlers of this.handlers.values()) for (const h of handlers) h.reset();
  }

  private async listen(): Promise<void> {
    if (this.stopped || this.handlers.size === 0) return;
    const options = this.db.options as PostgresConnectionOptions;
    const client = new Client({
      connectionString: options.url,
      connectionTimeoutMillis: this.config.databaseConnectTimeoutMs,
    });
    client.on('notification', ({ channel, payload }) => {
      for (const handler of this.handlers.get(channel) ?? []) handler.message(payload ?? '');
    });
    const lost = () => {
      if (this.client !== client) return;
      this.up = false;
      this.client = undefined;
      this.resetAll();
      if (!this.stopped) this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    client.on('error', (error) => {
      this.logger.warn(`notifications lost (${error.message}); caching paused until reconnected`);
      lost();
      void client.end().catch(() => undefined);
    });
    client.on('end', lost);
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      this.resetAll();
      this.up = true;
    } catch (error) {
      this.logger.warn(`cannot listen for notifications (${(error as Error).message}); retrying`);
      lost();
      void client.end().catch(() => undefined);
    }
  }
}
