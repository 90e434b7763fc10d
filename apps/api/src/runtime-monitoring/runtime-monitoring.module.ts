import { Module } from '@nestjs/common';

import { AdapterSecrets } from '../adapter/adapter-secrets';
import { DeploymentModule } from '../deployment/deployment.module';
import { AlertDelivery } from './alert-delivery';
import { AlertEvaluatorService } from './alert-evaluator.service';
import { AlertRulesController } from './alert-rules.controller';
import { AlertRulesService } from './alert-rules.service';
import { DeploymentHealthService } from './deployment-health.service';
import { HealthRollback } from './health-rollback';
import { RuntimeMetricsRegistration } from './runtime-metrics.registration';
import { runtimeMonitoringConfigProvider } from './runtime-monitoring-config';
import { RuntimeRetentionService } from './runtime-retention.service';

/**
 * Runtime monitoring (issue 13): the runtime's Prometheus metrics on `/metrics`, the scheduled
 * cleanup of execution data, alert rules with their evaluator and deliveries (webhook, EMAIL
 * adapter), and post-deployment health checks. The framework-free parts (metrics observer,
 * queue gauges, retention, OpenTelemetry) live in @integrixs/runtime for the worker too.
 */
@Module({
  imports: [DeploymentModule],
  controllers: [AlertRulesController],
  providers: [
    runtimeMonitoringConfigProvider,
    AdapterSecrets,
    RuntimeMetricsRegistration,
    RuntimeRetentionService,
    AlertRulesService,
    AlertDelivery,
    HealthRollback,
    DeploymentHealthService,
    AlertEvaluatorService,
  ],
  exports: [RuntimeMetricsRegistration],
})
export class RuntimeMonitoringModule {}
