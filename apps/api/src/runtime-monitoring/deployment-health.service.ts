import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { type RuntimeMonitoringConfig } from '@integrixs/runtime';

import { queryRows } from '../core/database/query-rows';
import { NotFoundError } from '../core/errors/app-error';
import { type DeploymentHealthDto } from './dto/alert-rule.dto';
import { HealthRollback } from './health-rollback';
import { RUNTIME_MONITORING_CONFIG } from './runtime-monitoring-config';

interface HealthRow {
  deployment_id: string;
  status: Exclude<DeploymentHealthDto['status'], 'NOT_WATCHED'>;
  watch_from: Date;
  watch_messages: number;
  watch_until: Date;
  messages_seen: number;
  messages_failed: number;
  decided_at: Date | null;
  rolled_back_to: string | null;
  detail: string | null;
}

/**
 * The post-deployment health check: a deployment that became DEPLOYED is watched for its first
 * RUNTIME_HEALTH_CHECK_MESSAGES messages or RUNTIME_HEALTH_CHECK_MINUTES, whichever comes first.
 * A watched message failed when its first attempt failed (it was retried or dead-lettered).
 * FAILING when more than RUNTIME_HEALTH_CHECK_ERROR_RATE % of them failed (decided early once
 * the remaining messages could not bring it back), HEALTHY otherwise, NO_TRAFFIC when nothing
 * arrived in time. With RUNTIME_HEALTH_AUTO_ROLLBACK=on a FAILING deployment is replaced by the
 * one it replaced (HealthRollback; never in a protected environment). Run by the alert evaluator's tick (one instance at a time); deployments are
 * found by polling flow_deployments, so a missed notification never loses a check.
 */
@Injectable()
export class DeploymentHealthService {
  private readonly logger = new Logger(DeploymentHealthService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(RUNTIME_MONITORING_CONFIG) private readonly config: RuntimeMonitoringConfig,
    private readonly rollback: HealthRollback,
  ) {}

  /** Starts watching deployments that became DEPLOYED within the watch window. */
  async watchNew(): Promise<number> {
    const rows = await queryRows<{ deployment_id: string }>(
      this.db.manager,
      `INSERT INTO runtime_deployment_health (deployment_id, package_id, flow_id, environment_id,
                                              watch_from, watch_messages, watch_until)
       SELECT d.id, d.package_id, d.flow_id, d.environment_id, d.state_changed_at, $1,
              d.state_changed_at + make_interval(mins => $2)
         FROM flow_deployments d
        WHERE d.state = 'DEPLOYED' AND d.state_changed_at > now() - make_interval(mins => $2)
       ON CONFLICT (deployment_id) DO NOTHING
       RETURNING deployment_id`,
      [this.config.healthCheckMessages, this.config.healthCheckMinutes],
    );
    return rows.length;
  }

  /** Decides the watched deployments whose messages (or time) are in; returns those decided. */
  async decide(): Promise<{ deploymentId: string; status: string }[]> {
    const watching = await queryRows<HealthRow>(
      this.db.manager,
      `SELECT * FROM runtime_deployment_health WHERE status = 'WATCHING'`,
    );
    const decided: { deploymentId: string; status: string }[] = [];
    for (const row of watching) {
      const [counts] = await queryRows<{ seen: number; failed: number }>(
        this.db.manager,
        `SELECT count(*)::int AS seen,
                count(*) FILTER (WHERE status <> 'SUCCEEDED' OR attempts > 1)::int AS failed
           FROM (SELECT status, attempts FROM runtime_messages
                  WHERE deployment_id = $1
                    AND received_at >= (SELECT watch_from FROM runtime_deployment_health
                                         WHERE deployment_id = $1)
                    AND (status IN ('SUCCEEDED', 'DEAD_LETTERED', 'RETRYING')
                         OR (status IN ('QUEUED', 'RUNNING') AND attempts > 1))
                  ORDER BY received_at, id LIMIT $2) s`,
        [row.deployment_id, row.watch_messages],
      );
      const limit = this.config.healthCheckErrorRatePercent;
      const failing = (failed: number, of: number) => of > 0 && (100 * failed) / of > limit;
      const timeUp = Date.now() >= row.watch_until.getTime();
      let status: HealthRow['status'] = 'WATCHING';
      if (failing(counts.failed, row.watch_messages)) status = 'FAILING';
      else if (counts.seen >= row.watch_messages || (timeUp && counts.seen > 0))
        status = failing(counts.failed, counts.seen) ? 'FAILING' : 'HEALTHY';
      else if (timeUp) status = 'NO_TRAFFIC';
      const detail =
        status === 'NO_TRAFFIC'
          ? `no message finished within ${this.config.healthCheckMinutes} min of the deployment`
          : `${counts.failed} of the first ${counts.seen} message(s) failed (limit ${limit}%)`;
      await this.db.query(
        `UPDATE runtime_deployment_health
            SET messages_seen = $2, messages_failed = $3, status = $4, detail = $5,
                decided_at = CASE WHEN $4 = 'WATCHING' THEN NULL ELSE now() END
          WHERE deployment_id = $1 AND status = 'WATCHING'`,
        [
          row.deployment_id,
          counts.seen,
          counts.failed,
          status,
          status === 'WATCHING' ? null : detail,
        ],
      );
      if (status !== 'WATCHING') {
        decided.push({ deploymentId: row.deployment_id, status });
        this.logger.log(`deployment ${row.deployment_id} health: ${status} (${detail})`);
      }
      if (status === 'FAILING' && this.config.healthAutoRollback) {
        const outcome = await this.rollback.rollBack(row.deployment_id);
        await this.db.query(
          `UPDATE runtime_deployment_health SET rolled_back_to = $2, detail = detail || '; ' || $3
            WHERE deployment_id = $1`,
          [row.deployment_id, outcome.rolledBackTo, outcome.detail],
        );
        this.logger.warn(`deployment ${row.deployment_id}: ${outcome.detail}`);
      }
    }
    return decided;
  }

  /** The health of one deployment of the flow (404 when the deployment is not the flow's). */
  async get(packageId: string, flowId: string, deploymentId: string): Promise<DeploymentHealthDto> {
    const [deployment] = await queryRows<{ id: string }>(
      this.db.manager,
      `SELECT id FROM flow_deployments WHERE id = $1 AND flow_id = $2 AND package_id = $3`,
      [deploymentId, flowId, packageId],
    );
    if (!deployment) throw new NotFoundError('Deployment', deploymentId);
    const [row] = await queryRows<HealthRow>(
      this.db.manager,
      `SELECT * FROM runtime_deployment_health WHERE deployment_id = $1`,
      [deploymentId],
    );
    if (!row)
      return {
        deploymentId,
        status: 'NOT_WATCHED',
        watchMessages: this.config.healthCheckMessages,
        watchUntil: null,
        messagesSeen: 0,
        messagesFailed: 0,
        decidedAt: null,
        rolledBackTo: null,
        detail: null,
      };
    return {
      deploymentId,
      status: row.status,
      watchMessages: row.watch_messages,
      watchUntil: row.watch_until.toISOString(),
      messagesSeen: row.messages_seen,
      messagesFailed: row.messages_failed,
      decidedAt: row.decided_at?.toISOString() ?? null,
      rolledBackTo: row.rolled_back_to,
      detail: row.detail,
    };
  }
}
