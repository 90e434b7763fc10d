import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import {
  registerRuntimeQueueGauges,
  runtimeMetricsObserver,
  type RuntimeObserver,
} from '@integrixs/runtime';

import { poolSqlClient } from '../core/database/sql-client';
import { MetricsService } from '../core/metrics/metrics.service';

/**
 * The runtime's metrics on the API's `/metrics`: the queue gauges (queue depth, oldest waiting
 * age, open dead letters per flow and environment, read from the database at scrape time) and
 * the per-flow counters and histograms, fed through `observer` by whatever runs or accepts
 * messages in this process (an in-process worker, the inbound endpoint).
 */
@Injectable()
export class RuntimeMetricsRegistration implements OnModuleInit {
  private registered: RuntimeObserver | undefined;

  constructor(
    private readonly metrics: MetricsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.metrics.addMetrics((registry) => {
      registerRuntimeQueueGauges(registry, poolSqlClient(this.db));
      this.registered = runtimeMetricsObserver(registry);
    });
  }

  /** The RuntimeObserver that feeds this process's runtime metrics. */
  get observer(): RuntimeObserver {
    if (!this.registered) throw new Error('runtime metrics are not registered yet');
    return this.registered;
  }
}
