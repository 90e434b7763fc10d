import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { ExecutionChanges, type ExecutionChange, type ExecutionScope } from '@integrixs/runtime';

import { poolSqlClient } from '../core/database/sql-client';

/** A row that names a flow's messages in one environment (a message's, a dead letter's). */
export interface ExecutionScopeRow {
  package_id: string;
  flow_id: string;
  environment_id: string;
}

export const scopeOfRow = (row: ExecutionScopeRow): ExecutionScope => ({
  packageId: row.package_id,
  flowId: row.flow_id,
  environmentId: row.environment_id,
});

/**
 * The API's side of the live execution lists: messages it accepts (inbound, manual runs,
 * replays) and dead letters it resolves, announced on libs/runtime's EXECUTIONS_CHANNEL through
 * the same coalescer the worker uses (at most one NOTIFY per flow and environment every 500 ms).
 * Record only after the change committed; pending changes are sent when the module stops.
 */
@Injectable()
export class ExecutionNotifier implements OnModuleDestroy {
  private readonly logger = new Logger(ExecutionNotifier.name);
  private readonly changes: ExecutionChanges;

  constructor(@InjectDataSource() db: DataSource) {
    this.changes = new ExecutionChanges(poolSqlClient(db), {
      logger: {
        warn: (obj, msg) =>
          this.logger.warn(`${msg ?? 'warning'}: ${String((obj as { err?: unknown }).err)}`),
      },
    });
  }

  record(scope: ExecutionScope, ...changes: ExecutionChange[]): void {
    for (const change of changes) this.changes.record(scope, change);
  }

  async onModuleDestroy(): Promise<void> {
    await this.changes.stop();
  }
}
