import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RepeatingTask } from '../scheduling/repeating-task';

/**
 * One kind of data that expires: a table (`name`) and a query selecting the keys of its expired
 * rows (its parameters from `params`, read at each run so configuration is current).
 */
export interface RetentionTask {
  name: string;
  /** The primary key column (default `id`). */
  key?: string;
  select: string;
  params?: () => unknown[];
  /** A statement to run first in each batch's transaction. */
  before?: string;
}

const BATCH = 5_000;
const FIRST_RUN_DELAY_MS = 30_000;

/**
 * Deletes expired data on a schedule: the audit log past AUDIT_RETENTION_DAYS (core's own
 * task) and whatever modules register (sessions, sign-in throttle entries). Each task runs in
 * batches, each batch its own short transaction under a try-lock, so several instances never
 * run the same task at once and a big backlog never holds long locks.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionService.name);
  private readonly tasks: RetentionTask[] = [];
  private readonly task = new RepeatingTask(
    () => this.runOnce(),
    (error) => this.logger.warn(`retention cleanup failed: ${error.message}`),
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (config.auditRetentionDays > 0) {
      this.register({
        name: 'audit_log',
        // The append-only trigger lets this transaction (and only one that says so) delete.
        before: `SET LOCAL integrixs.audit_retention = 'on'`,
        select: `SELECT id FROM audit_log WHERE occurred_at < now() - make_interval(days => $1)`,
        params: () => [config.auditRetentionDays],
      });
    }
  }

  /** Adds a task (call it in a constructor). */
  register(task: RetentionTask): void {
    if (!/^[a-z_]+$/.test(task.name) || !/^[a-z_]+$/.test(task.key ?? 'id'))
      throw new Error(`bad retention task ${task.name}`);
    this.tasks.push(task);
  }

  onApplicationBootstrap(): void {
    const every = this.config.retentionIntervalMinutes * 60_000;
    this.task.start(every, Math.min(FIRST_RUN_DELAY_MS, every));
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** Runs every task to the end of its backlog; returns rows deleted per task. */
  async runOnce(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const task of this.tasks) {
      deleted[task.name] = 0;
      for (;;) {
        const n = await this.db.transaction(async (m) => {
          const [lock] = await m.query<{ locked: boolean }[]>(
            `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
            [`integrixs retention ${task.name}`],
          );
          return lock?.locked ? this.deleteBatch(m, task) : 0;
        });
        deleted[task.name] += n;
        if (n < BATCH) break;
      }
      if (deleted[task.name])
        this.logger.log(`retention: deleted ${deleted[task.name]} ${task.name} row(s)`);
    }
    return deleted;
  }

  /** Deletes up to BATCH expired rows of one task; returns how many went. */
  private async deleteBatch(m: EntityManager, task: RetentionTask): Promise<number> {
    if (task.before) await m.query(task.before);
    const params = task.params?.() ?? [];
    const key = task.key ?? 'id';
    const [, deleted] = await m.query<[unknown[], number]>(
      `DELETE FROM ${task.name} WHERE ${key} IN (${task.select} LIMIT $${params.length + 1})`,
      [...params, BATCH],
    );
    return deleted;
  }
}
