import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import {
  type DataSource,
  type EntitySubscriberInterface,
  type InsertEvent,
  type ObjectLiteral,
  type QueryRunner,
  type RecoverEvent,
  type RemoveEvent,
  type SoftRemoveEvent,
  type TransactionCommitEvent,
  type UpdateEvent,
} from 'typeorm';
import { type PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { IntegrationPackage } from '../package-metadata/entities/integration-package.entity';
import { PackageMember } from './entities/package-member.entity';
import { User } from './entities/user.entity';

export const ACCESS_CHANNEL = 'integrixs_access';
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
const RECONNECT_MS = 1_000;

interface Entry<T> {
  value: T;
  userId: string;
  packageId: string | null;
  expiresAt: number;
}

/**
 * A short-lived cache of authorization facts (a user's state and their role in a package), so a
 * request does not pay a database round trip for them. It is only used while this instance
 * LISTENs to the `integrixs_access` notifications that database triggers send at commit whenever
 * a user, a membership or a package changes: every instance drops the affected entries at once.
 * While the listener is down nothing is cached (and the cache is cleared on reconnect); entries
 * also expire after 30 s. A value read before an invalidation is never stored after it
 * (generation check).
 */
@Injectable()
export class AccessCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AccessCache.name);
  private readonly entries = new Map<string, Entry<unknown>>();
  private generation = 0;
  private listening = false;
  private client: Client | undefined;
  private stopped = false;
  private reconnect: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    // Changes made through this instance are dropped at its own commit (no notification round
    // trip), so a request right after a disable or a membership change here never sees stale data.
    this.db.subscribers.push(new LocalInvalidation(this));
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  /** The cached value, or `load()`'s (stored when it is still current). */
  async get<T>(userId: string, packageId: string | null, load: () => Promise<T>): Promise<T> {
    const key = `${userId}|${packageId ?? ''}`;
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value as T;
    const generation = this.generation;
    const value = await load();
    if (this.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { value, userId, packageId, expiresAt: Date.now() + TTL_MS });
    }
    return value;
  }

  /** Applies one notification: `user:<id>`, `member:<packageId>:<userId>`, `package:<id>`. */
  invalidate(message: string): void {
    this.generation++;
    const [kind, first, second] = message.split(':');
    for (const [key, entry] of this.entries) {
      const hit =
        (kind === 'user' && entry.userId === first) ||
        (kind === 'package' && entry.packageId === first) ||
        (kind === 'member' && entry.packageId === first && entry.userId === second);
      if (hit) this.entries.delete(key);
    }
  }

  private clear(): void {
    this.generation++;
    this.entries.clear();
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const options = this.db.options as PostgresConnectionOptions;
    const client = new Client({
      connectionString: options.url,
      connectionTimeoutMillis: this.config.databaseConnectTimeoutMs,
    });
    client.on('notification', (message) => {
      if (message.channel === ACCESS_CHANNEL && message.payload) this.invalidate(message.payload);
    });
    const lost = () => {
      if (this.client !== client) return;
      this.listening = false;
      this.client = undefined;
      this.clear();
      if (!this.stopped) this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    client.on('error', (error) => {
      this.logger.warn(
        `access notifications lost (${error.message}); caching paused until reconnected`,
      );
      lost();
      void client.end().catch(() => undefined);
    });
    client.on('end', lost);
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${ACCESS_CHANNEL}`);
      this.clear();
      this.listening = true;
    } catch (error) {
      this.logger.warn(
        `cannot listen for access notifications (${(error as Error).message}); retrying`,
      );
      lost();
      void client.end().catch(() => undefined);
    }
  }
}

type ChangeEvent =
  | InsertEvent<ObjectLiteral>
  | UpdateEvent<ObjectLiteral>
  | RemoveEvent<ObjectLiteral>
  | SoftRemoveEvent<ObjectLiteral>
  | RecoverEvent<ObjectLiteral>;

const PENDING = 'integrixsAccessInvalidations';

/** Collects the access facts a transaction changes and drops them from the cache at its commit. */
class LocalInvalidation implements EntitySubscriberInterface {
  constructor(private readonly cache: AccessCache) {}

  afterInsert(event: InsertEvent<ObjectLiteral>): void {
    this.note(event);
  }
  afterUpdate(event: UpdateEvent<ObjectLiteral>): void {
    this.note(event);
  }
  afterRemove(event: RemoveEvent<ObjectLiteral>): void {
    this.note(event);
  }
  afterSoftRemove(event: SoftRemoveEvent<ObjectLiteral>): void {
    this.note(event);
  }
  afterRecover(event: RecoverEvent<ObjectLiteral>): void {
    this.note(event);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const pending = this.pending(event.queryRunner);
    for (const message of pending) this.cache.invalidate(message);
    pending.clear();
  }

  private note(event: ChangeEvent): void {
    const before =
      'databaseEntity' in event ? (event.databaseEntity as ObjectLiteral | undefined) : undefined;
    // After a remove TypeORM clears the entity's key; RemoveEvent keeps it as entityId.
    const removed = 'entityId' in event ? (event.entityId as unknown) : undefined;
    const key: ObjectLiteral =
      typeof removed === 'object' && removed !== null
        ? removed
        : removed === undefined
          ? {}
          : { id: removed };
    const entity: ObjectLiteral = { ...before, ...event.entity, ...key };
    const target = event.metadata.target;
    let message: string | undefined;
    if (target === User) message = `user:${String(entity['id'])}`;
    else if (target === PackageMember)
      message = `member:${String(entity['packageId'])}:${String(entity['userId'])}`;
    else if (target === IntegrationPackage) message = `package:${String(entity['id'])}`;
    if (message) this.pending(event.queryRunner).add(message);
  }

  private pending(runner: QueryRunner): Set<string> {
    const data = runner.data as Record<string, Set<string> | undefined>;
    return (data[PENDING] ??= new Set());
  }
}
