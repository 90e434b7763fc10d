import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type DataSource,
  type EntityManager,
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

import { ExpiringMap } from '../core/cache/expiring-map';
import { DatabaseNotifications } from '../core/database/database-notifications';
import { PackageMember } from './entities/package-member.entity';
import { User } from './entities/user.entity';

export const ACCESS_CHANNEL = 'integrixs_access';
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  value: unknown;
  userId: string;
  sessionId: string | null;
  packageId: string | null;
}

/**
 * A short-lived cache of authorization facts (a user's state, whether the caller's session is
 * still open, and their role in a package), so a request does not pay a database round trip for
 * them. It is only used while this instance LISTENs to the `integrixs_access` notifications that
 * database triggers send at commit whenever a user, a membership or a package changes, or a
 * session is revoked: every instance drops the affected entries at once.
 * While the listener is down nothing is cached (and the cache is cleared on reconnect); entries
 * also expire after 30 s. A value read before an invalidation is never stored after it
 * (generation check).
 */
@Injectable()
export class AccessCache implements OnModuleInit {
  private readonly entries = new ExpiringMap<Entry>(TTL_MS, MAX_ENTRIES);
  private generation = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notifications: DatabaseNotifications,
  ) {
    notifications.subscribe(ACCESS_CHANNEL, {
      message: (payload) => this.invalidate(payload),
      reset: () => this.clear(),
    });
  }

  onModuleInit(): void {
    // Changes made through this instance are dropped at its own commit (no notification round
    // trip), so a request right after a disable or a membership change here never sees stale data.
    this.db.subscribers.push(new LocalInvalidation(this));
  }

  /** The cached value, or `load()`'s (stored when it is still current). */
  async get<T>(
    userId: string,
    sessionId: string | null,
    packageId: string | null,
    load: () => Promise<T>,
  ): Promise<T> {
    const key = `${userId}|${sessionId ?? ''}|${packageId ?? ''}`;
    const hit = this.entries.get(key);
    if (hit) return hit.value as T;
    const generation = this.generation;
    const value = await load();
    if (this.notifications.listening && generation === this.generation)
      this.entries.set(key, { value, userId, sessionId, packageId });
    return value;
  }

  /**
   * Applies one notification: `user:<id>`, `member:<packageId>:<userId>`, `package:<id>`,
   * `session:<id>`.
   */
  invalidate(message: string): void {
    this.generation++;
    const [kind, first, second] = message.split(':');
    this.entries.deleteWhere(
      (entry) =>
        (kind === 'user' && entry.userId === first) ||
        (kind === 'package' && entry.packageId === first) ||
        (kind === 'session' && entry.sessionId === first) ||
        (kind === 'member' && entry.packageId === first && entry.userId === second),
    );
  }

  /**
   * For changes made with raw SQL (no entity event): drops `message`'s entries when `m`'s
   * transaction commits, or at once when `m` is not in one (call it after the statement).
   */
  invalidateOnCommit(m: EntityManager, message: string): void {
    const runner = m.queryRunner;
    if (runner?.isTransactionActive) pendingOf(runner).add(message);
    else this.invalidate(message);
  }

  private clear(): void {
    this.generation++;
    this.entries.clear();
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
    const pending = pendingOf(event.queryRunner);
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
    // By table: identity sits below package-metadata and imports nothing of it.
    else if (event.metadata.tableName === 'integration_packages')
      message = `package:${String(entity['id'])}`;
    if (message) pendingOf(event.queryRunner).add(message);
  }
}

/** What a transaction has changed so far, dropped from the cache at its commit. */
function pendingOf(runner: QueryRunner): Set<string> {
  const data = runner.data as Record<string, Set<string> | undefined>;
  return (data[PENDING] ??= new Set());
}
