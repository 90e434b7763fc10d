import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { type RuntimeMonitoringConfig } from '@integrixs/runtime';

import { queryRows } from '../core/database/query-rows';
import { RepeatingTask } from '../core/scheduling/repeating-task';
import { firingNow, type EvaluatedRule, type Firing } from './alert-conditions';
import { AlertDelivery, type AlertNotice } from './alert-delivery';
import { DeploymentHealthService } from './deployment-health.service';
import { RUNTIME_MONITORING_CONFIG } from './runtime-monitoring-config';

/** The advisory lock one instance holds while it evaluates. */
export const ALERT_EVALUATOR_LOCK = 'integrixs runtime alerts';
/** Deliveries tried per evaluation at most (the rest wait for the next one). */
const DELIVERIES_PER_RUN = 100;

export interface EvaluationResult {
  /** false: another instance is evaluating. */
  ran: boolean;
  fired: number;
  resolved: number;
  delivered: number;
  failed: number;
}

interface PendingDelivery {
  id: string;
  state: 'FIRING' | 'RESOLVED';
  dedupe_key: string;
  package_id: string;
  first_fired_at: Date;
  resolved_at: Date | null;
  detail: AlertNotice['detail'];
  webhook_notified: string | null;
  email_notified: string | null;
  rule_id: string;
  rule_name: string;
  kind: string;
  environment_id: string;
  environment: string;
  webhook_url: string | null;
  email_adapter_id: string | null;
  email_recipients: string[];
}

/**
 * Every RUNTIME_ALERT_INTERVAL_SECONDS, on one instance (session advisory lock): advances the
 * post-deployment health checks, evaluates every alert rule, records what starts firing
 * (one FIRING row per rule and key: an alert already firing is not raised again) and what
 * cleared (RESOLVED), then delivers what a channel has not yet been told — each channel once
 * per state; a failed delivery is tried again at the next evaluation.
 */
@Injectable()
export class AlertEvaluatorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertEvaluatorService.name);
  private readonly task = new RepeatingTask(
    () => this.runOnce(),
    (error) => this.logger.warn(`alert evaluation failed: ${error.message}`),
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(RUNTIME_MONITORING_CONFIG) private readonly config: RuntimeMonitoringConfig,
    private readonly delivery: AlertDelivery,
    private readonly health: DeploymentHealthService,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.alertIntervalSeconds * 1000);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async runOnce(): Promise<EvaluationResult> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
        [ALERT_EVALUATOR_LOCK],
      )) as { locked: boolean }[];
      if (!lock?.locked) return { ran: false, fired: 0, resolved: 0, delivered: 0, failed: 0 };
      try {
        await this.health.watchNew();
        await this.health.decide();
        const { fired, resolved } = await this.evaluateRules();
        const { delivered, failed } = await this.deliver();
        return { ran: true, fired, resolved, delivered, failed };
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [
          ALERT_EVALUATOR_LOCK,
        ]);
      }
    } finally {
      await runner.release();
    }
  }

  private async evaluateRules(): Promise<{ fired: number; resolved: number }> {
    const rules = await queryRows<EvaluatedRule & { enabled: boolean }>(
      this.db.manager,
      `SELECT r.id, r.package_id, r.name, r.flow_id, r.environment_id, e.code AS environment,
              r.kind, r.threshold, r.window_minutes, r.enabled
         FROM runtime_alert_rules r JOIN environments e ON e.id = r.environment_id
        WHERE r.enabled OR EXISTS (SELECT 1 FROM runtime_alerts a
                                    WHERE a.rule_id = r.id AND a.state = 'FIRING')`,
    );
    let fired = 0;
    let resolved = 0;
    for (const rule of rules) {
      try {
        // A disabled rule fires nothing: what it had firing resolves.
        const now: Firing[] = rule.enabled
          ? await firingNow(this.db.manager, { ...rule, threshold: Number(rule.threshold) })
          : [];
        const counts = await this.record(rule, now);
        fired += counts.fired;
        resolved += counts.resolved;
      } catch (error) {
        this.logger.warn(
          `alert rule ${rule.id} could not be evaluated: ${(error as Error).message}`,
        );
      }
    }
    return { fired, resolved };
  }

  /** Turns what fires now into alert rows: new ones FIRING, continuing ones touched, the rest RESOLVED. */
  private async record(
    rule: EvaluatedRule,
    now: Firing[],
  ): Promise<{ fired: number; resolved: number }> {
    return this.db.transaction(async (m) => {
      let fired = 0;
      for (const firing of now) {
        const [row] = await queryRows<{ inserted: boolean }>(
          m,
          `INSERT INTO runtime_alerts (rule_id, package_id, dedupe_key, state, detail)
           VALUES ($1, $2, $3, 'FIRING', $4)
           ON CONFLICT (rule_id, dedupe_key) WHERE state = 'FIRING'
           DO UPDATE SET last_fired_at = now(), detail = EXCLUDED.detail
           RETURNING (xmax = 0) AS inserted`,
          [rule.id, rule.package_id, firing.key, JSON.stringify(firing.detail)],
        );
        if (row?.inserted) fired++;
      }
      const cleared = await queryRows<{ id: string }>(
        m,
        `UPDATE runtime_alerts SET state = 'RESOLVED', resolved_at = now()
          WHERE rule_id = $1 AND state = 'FIRING' AND NOT (dedupe_key = ANY($2))
          RETURNING id`,
        [rule.id, now.map((f) => f.key)],
      );
      return { fired, resolved: cleared.length };
    });
  }

  /** Tells each channel what it has not heard yet: a new FIRING, or RESOLVED after a FIRING. */
  private async deliver(): Promise<{ delivered: number; failed: number }> {
    const pending = await queryRows<PendingDelivery>(
      this.db.manager,
      `SELECT a.id, a.state, a.dedupe_key, a.package_id, a.first_fired_at, a.resolved_at, a.detail,
              a.webhook_notified, a.email_notified, r.id AS rule_id, r.name AS rule_name, r.kind,
              r.environment_id, e.code AS environment, r.webhook_url, r.email_adapter_id,
              r.email_recipients
         FROM runtime_alerts a
         JOIN runtime_alert_rules r ON r.id = a.rule_id
         JOIN environments e ON e.id = r.environment_id
        WHERE (r.webhook_url IS NOT NULL AND a.webhook_notified IS DISTINCT FROM a.state
               AND (a.state = 'FIRING' OR a.webhook_notified = 'FIRING'))
           OR (r.email_adapter_id IS NOT NULL AND a.email_notified IS DISTINCT FROM a.state
               AND (a.state = 'FIRING' OR a.email_notified = 'FIRING'))
        ORDER BY a.last_fired_at LIMIT $1`,
      [DELIVERIES_PER_RUN],
    );
    let delivered = 0;
    let failed = 0;
    for (const alert of pending) {
      const notice: AlertNotice = {
        id: alert.id,
        state: alert.state,
        rule: { id: alert.rule_id, name: alert.rule_name, kind: alert.kind },
        packageId: alert.package_id,
        environment: alert.environment,
        dedupeKey: alert.dedupe_key,
        firstFiredAt: alert.first_fired_at.toISOString(),
        resolvedAt: alert.resolved_at?.toISOString() ?? null,
        detail: alert.detail,
      };
      const due = (notified: string | null) =>
        notified !== alert.state && (alert.state === 'FIRING' || notified === 'FIRING');
      const errors: string[] = [];
      const { webhook_url: webhook, email_adapter_id: adapter } = alert;
      const channels: [string, boolean, () => Promise<void>][] = [
        [
          'webhook_notified',
          webhook !== null && due(alert.webhook_notified),
          () => this.delivery.webhook(webhook ?? '', notice),
        ],
        [
          'email_notified',
          adapter !== null && due(alert.email_notified),
          () =>
            this.delivery.email(
              adapter ?? '',
              alert.environment_id,
              alert.email_recipients,
              notice,
            ),
        ],
      ];
      for (const [column, isDue, send] of channels) {
        if (!isDue) continue;
        try {
          await send();
          await this.db.query(`UPDATE runtime_alerts SET ${column} = $2 WHERE id = $1`, [
            alert.id,
            alert.state,
          ]);
          delivered++;
        } catch (error) {
          failed++;
          errors.push(`${column.replace('_notified', '')}: ${(error as Error).message}`);
        }
      }
      await this.db.query(`UPDATE runtime_alerts SET delivery_error = $2 WHERE id = $1`, [
        alert.id,
        errors.length > 0 ? errors.join('; ').slice(0, 2000) : null,
      ]);
      if (errors.length > 0)
        this.logger.warn(`alert ${alert.id} delivery failed: ${errors.join('; ')}`);
    }
    return { delivered, failed };
  }
}
