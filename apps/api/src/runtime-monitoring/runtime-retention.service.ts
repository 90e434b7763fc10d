import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import {
  runRuntimeRetention,
  type RuntimeMonitoringConfig,
  type RuntimeRetentionOptions,
  type RuntimeRetentionResult,
  type SqlClient,
} from '@integrixs/runtime';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { RepeatingTask } from '../core/scheduling/repeating-task';
import { RUNTIME_MONITORING_CONFIG } from './runtime-monitoring-config';

const FIRST_RUN_DELAY_MS = 30_000;

/**
 * The runtime's scheduled cleanup (every RETENTION_INTERVAL_MINUTES, like the core retention):
 * finished messages past RUNTIME_EXECUTION_RETENTION_DAYS and payloads past
 * RUNTIME_PAYLOAD_RETENTION_DAYS, in small batches with pauses, on one instance at a time
 * (runRuntimeRetention in libs/runtime, which the worker can run as well).
 */
@Injectable()
export class RuntimeRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RuntimeRetentionService.name);
  private readonly task = new RepeatingTask(
    () => this.runOnce(),
    (error) => this.logger.warn(`runtime retention cleanup failed: ${error.message}`),
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    @Inject(RUNTIME_MONITORING_CONFIG) private readonly config: RuntimeMonitoringConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.app.retentionIntervalMinutes * 60_000;
    this.task.start(every, Math.min(FIRST_RUN_DELAY_MS, every));
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One cleanup to the end of the backlog (options override the configuration, for tests). */
  async runOnce(overrides: Partial<RuntimeRetentionOptions> = {}): Promise<RuntimeRetentionResult> {
    const runner = this.db.createQueryRunner();
    // One connection for the whole run: the advisory lock is held by this session.
    const session = (await runner.connect()) as SqlClient;
    try {
      const result = await runRuntimeRetention(session, {
        executionRetentionDays: this.config.executionRetentionDays,
        payloadRetentionDays: this.config.payloadRetentionDays,
        batchSize: this.config.retentionBatchSize,
        pauseMs: this.config.retentionPauseMs,
        stopped: () => this.task.stopped,
        ...overrides,
      });
      if (result.messages + result.payloads > 0)
        this.logger.log(
          `runtime retention: deleted ${result.messages} message(s), ${result.payloads} payload(s)`,
        );
      return result;
    } finally {
      await runner.release();
    }
  }
}
