import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Logger } from 'pino';

import { PreparingClient } from '@integrixs/runtime';

import { AuditLogEntry } from './audit/audit-log.entity';
import { AuditSubscriber } from './audit/audit.subscriber';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { SealedColumns } from './crypto/sealed-columns';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseNotifications } from './database/database-notifications';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { HealthController } from './health/health.controller';
import { StrictValidationPipe } from './http/strict-validation.pipe';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { RetentionService } from './retention/retention.service';

/** Cross-cutting pieces every module relies on: config, database, errors, validation, audit, ops. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger?: Logger): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRoot({
          // The runtime's per-message statements are planned once per connection.
          ...dataSourceOptions(databaseUrl, config, logger, PreparingClient),
          subscribers: [AuditSubscriber],
          autoLoadEntities: true,
          retryAttempts: 5,
          retryDelay: 2000,
        }),
        TypeOrmModule.forFeature([AuditLogEntry]),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useClass: StrictValidationPipe },
        MetricsService,
        DatabaseNotifications,
        SealedColumns,
        RetentionService,
      ],
      exports: [APP_CONFIG, MetricsService, DatabaseNotifications, SealedColumns, RetentionService],
    };
  }
}
