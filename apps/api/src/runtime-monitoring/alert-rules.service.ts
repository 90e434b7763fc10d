import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { writeAudit } from '../core/audit/audit-writer';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import { NotFoundError, ValidationError } from '../core/errors/app-error';
import { currentActor } from '../core/request-context/request-context';
import {
  type AlertDto,
  type AlertListQueryDto,
  type AlertRuleDto,
  type CreateAlertRuleDto,
  type UpdateAlertRuleDto,
} from './dto/alert-rule.dto';

interface RuleRow {
  id: string;
  package_id: string;
  name: string;
  flow_id: string | null;
  environment_id: string;
  environment: string;
  kind: AlertRuleDto['kind'];
  threshold: number;
  window_minutes: number;
  webhook_url: string | null;
  email_adapter_id: string | null;
  email_recipients: string[];
  enabled: boolean;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
}

const RULE_COLUMNS = `r.id, r.package_id, r.name, r.flow_id, r.environment_id, e.code AS environment,
  r.kind, r.threshold, r.window_minutes, r.webhook_url, r.email_adapter_id, r.email_recipients,
  r.enabled, r.created_at, r.created_by, r.updated_at, r.updated_by`;

/** Scheme, host and port of a webhook: what may be shown (the rest can hold a token). */
export function originOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function toDto(row: RuleRow): AlertRuleDto {
  return {
    id: row.id,
    packageId: row.package_id,
    name: row.name,
    flowId: row.flow_id,
    environment: row.environment,
    kind: row.kind,
    threshold: Number(row.threshold),
    windowMinutes: row.window_minutes,
    webhookOrigin: originOf(row.webhook_url),
    emailAdapterId: row.email_adapter_id,
    emailRecipients: row.email_recipients,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

/** The audited view of a rule: never the webhook's path or query (they may hold a token). */
function audited(dto: AlertRuleDto): Record<string, unknown> {
  const omit = new Set(['createdAt', 'updatedAt', 'createdBy', 'updatedBy']);
  return Object.fromEntries(Object.entries(dto).filter(([key]) => !omit.has(key)));
}

/**
 * Alert rules of a package (CRUD, audited) and the alerts they raised. A rule watches one flow
 * or all flows of its package in one environment and says where to deliver: a webhook and/or
 * an EMAIL adapter of the same package with recipients.
 */
@Injectable()
export class AlertRulesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(packageId: string): Promise<AlertRuleDto[]> {
    const rows = await queryRows<RuleRow>(
      this.db.manager,
      `SELECT ${RULE_COLUMNS} FROM runtime_alert_rules r JOIN environments e ON e.id = r.environment_id
        WHERE r.package_id = $1 ORDER BY r.created_at, r.id`,
      [packageId],
    );
    return rows.map(toDto);
  }

  async get(packageId: string, ruleId: string): Promise<AlertRuleDto> {
    return toDto(await this.row(this.db.manager, packageId, ruleId));
  }

  async create(packageId: string, dto: CreateAlertRuleDto): Promise<AlertRuleDto> {
    return runInTransaction(this.db, async (m) => {
      const values = await this.checked(m, packageId, {
        name: dto.name,
        flowId: dto.flowId ?? null,
        environment: dto.environment,
        kind: dto.kind,
        threshold: dto.threshold,
        windowMinutes: dto.windowMinutes ?? 5,
        webhookUrl: dto.webhookUrl ?? null,
        emailAdapterId: dto.emailAdapterId ?? null,
        emailRecipients: dto.emailRecipients ?? [],
        enabled: dto.enabled ?? true,
      });
      const actor = currentActor();
      const [{ id }] = await queryRows<{ id: string }>(
        m,
        `INSERT INTO runtime_alert_rules (package_id, name, flow_id, environment_id, kind, threshold,
           window_minutes, webhook_url, email_adapter_id, email_recipients, enabled, created_by,
           updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
        [packageId, ...values, actor],
      );
      const created = toDto(await this.row(m, packageId, id));
      await writeAudit(m, [
        {
          action: 'CREATE',
          entityType: 'alert_rule',
          entityId: id,
          packageId,
          changes: Object.fromEntries(
            Object.entries(audited(created)).map(([k, v]) => [k, { after: v }]),
          ),
        },
      ]);
      return created;
    });
  }

  async update(packageId: string, ruleId: string, dto: UpdateAlertRuleDto): Promise<AlertRuleDto> {
    return runInTransaction(this.db, async (m) => {
      const current = await this.row(m, packageId, ruleId, true);
      const pick = <K extends keyof UpdateAlertRuleDto, T>(key: K, fallback: T) =>
        dto[key] === undefined ? fallback : (dto[key] as T);
      const values = await this.checked(m, packageId, {
        name: pick('name', current.name),
        flowId: pick('flowId', current.flow_id),
        environment: pick('environment', current.environment),
        kind: pick('kind', current.kind),
        threshold: pick('threshold', Number(current.threshold)),
        windowMinutes: pick('windowMinutes', current.window_minutes),
        webhookUrl: pick('webhookUrl', current.webhook_url),
        emailAdapterId: pick('emailAdapterId', current.email_adapter_id),
        emailRecipients: pick('emailRecipients', current.email_recipients),
        enabled: pick('enabled', current.enabled),
      });
      await m.query(
        `UPDATE runtime_alert_rules SET name = $2, flow_id = $3, environment_id = $4, kind = $5,
           threshold = $6, window_minutes = $7, webhook_url = $8, email_adapter_id = $9,
           email_recipients = $10, enabled = $11, updated_by = $12, updated_at = now()
         WHERE id = $1`,
        [ruleId, ...values, currentActor()],
      );
      const before = audited(toDto(current));
      const updated = toDto(await this.row(m, packageId, ruleId));
      const after = audited(updated);
      const changes: Record<string, { before?: unknown; after?: unknown }> = Object.fromEntries(
        Object.keys(after)
          .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
          .map((k) => [k, { before: before[k], after: after[k] }]),
      );
      // A new path or query (maybe a new token) on the same origin: recorded, never shown.
      if (dto.webhookUrl !== undefined && dto.webhookUrl !== current.webhook_url)
        changes['webhookChanged'] = { after: true };
      await writeAudit(m, [
        { action: 'UPDATE', entityType: 'alert_rule', entityId: ruleId, packageId, changes },
      ]);
      return updated;
    });
  }

  async delete(packageId: string, ruleId: string): Promise<void> {
    await runInTransaction(this.db, async (m) => {
      const current = await this.row(m, packageId, ruleId, true);
      await m.query(`DELETE FROM runtime_alert_rules WHERE id = $1`, [ruleId]);
      await writeAudit(m, [
        {
          action: 'DELETE',
          entityType: 'alert_rule',
          entityId: ruleId,
          packageId,
          changes: { name: { before: current.name } },
        },
      ]);
    });
  }

  async alerts(packageId: string, query: AlertListQueryDto): Promise<AlertDto[]> {
    const rows = await queryRows<{
      id: string;
      rule_id: string;
      rule_name: string;
      kind: AlertDto['kind'];
      environment: string;
      dedupe_key: string;
      state: AlertDto['state'];
      first_fired_at: Date;
      last_fired_at: Date;
      resolved_at: Date | null;
      detail: AlertDto['detail'];
      delivery_error: string | null;
    }>(
      this.db.manager,
      `SELECT a.id, a.rule_id, r.name AS rule_name, r.kind, e.code AS environment, a.dedupe_key,
              a.state, a.first_fired_at, a.last_fired_at, a.resolved_at, a.detail, a.delivery_error
         FROM runtime_alerts a
         JOIN runtime_alert_rules r ON r.id = a.rule_id
         JOIN environments e ON e.id = r.environment_id
        WHERE a.package_id = $1 AND ($2::text IS NULL OR a.state = $2)
        ORDER BY a.first_fired_at DESC, a.id DESC LIMIT $3`,
      [packageId, query.state ?? null, query.limit ?? 50],
    );
    return rows.map((r) => ({
      id: r.id,
      ruleId: r.rule_id,
      ruleName: r.rule_name,
      kind: r.kind,
      environment: r.environment,
      dedupeKey: r.dedupe_key,
      state: r.state,
      firstFiredAt: r.first_fired_at.toISOString(),
      lastFiredAt: r.last_fired_at.toISOString(),
      resolvedAt: r.resolved_at?.toISOString() ?? null,
      detail: r.detail,
      deliveryError: r.delivery_error,
    }));
  }

  private async row(
    m: EntityManager,
    packageId: string,
    ruleId: string,
    forUpdate = false,
  ): Promise<RuleRow> {
    const [row] = await queryRows<RuleRow>(
      m,
      `SELECT ${RULE_COLUMNS} FROM runtime_alert_rules r JOIN environments e ON e.id = r.environment_id
        WHERE r.id = $1 AND r.package_id = $2 ${forUpdate ? 'FOR UPDATE OF r' : ''}`,
      [ruleId, packageId],
    );
    if (!row) throw new NotFoundError('Alert rule', ruleId);
    return row;
  }

  /** The rule's values in column order, after the checks a DTO cannot make (400 naming the field). */
  private async checked(
    m: EntityManager,
    packageId: string,
    v: {
      name: string;
      flowId: string | null;
      environment: string;
      kind: string;
      threshold: number | undefined;
      windowMinutes: number;
      webhookUrl: string | null;
      emailAdapterId: string | null;
      emailRecipients: string[];
      enabled: boolean;
    },
  ): Promise<unknown[]> {
    const [env] = await queryRows<{ id: string }>(
      m,
      `SELECT id FROM environments WHERE code = $1`,
      [v.environment],
    );
    if (!env)
      throw ValidationError.of('environment', `environment ${v.environment} does not exist`);
    if (v.flowId !== null) {
      const [flow] = await queryRows<{ id: string }>(
        m,
        `SELECT id FROM package_assets
          WHERE id = $1 AND package_id = $2 AND type = 'FLOW' AND deleted_at IS NULL`,
        [v.flowId, packageId],
      );
      if (!flow) throw ValidationError.of('flowId', 'is not a flow of this package');
    }
    if (v.threshold === undefined && v.kind !== 'HEALTH_CHECK')
      throw ValidationError.of('threshold', 'is required for this kind of rule', 'required');
    if (v.kind === 'ERROR_RATE' && (v.threshold ?? 0) > 100)
      throw ValidationError.of('threshold', 'is a percentage: at most 100', 'max');
    if (v.webhookUrl === null && v.emailAdapterId === null)
      throw new ValidationError([
        {
          path: 'webhookUrl',
          message: 'a rule needs a webhook or an EMAIL adapter',
          code: 'required',
        },
      ]);
    if (v.emailAdapterId !== null) {
      const [adapter] = await queryRows<{ adapter_type: string | null }>(
        m,
        `SELECT v.content->>'adapterType' AS adapter_type FROM package_assets a
           JOIN asset_versions v ON v.asset_id = a.id AND v.version_number = a.current_version
          WHERE a.id = $1 AND a.package_id = $2 AND a.type = 'ADAPTER' AND a.deleted_at IS NULL`,
        [v.emailAdapterId, packageId],
      );
      if (!adapter) throw ValidationError.of('emailAdapterId', 'is not an adapter of this package');
      if (adapter.adapter_type !== 'EMAIL')
        throw ValidationError.of('emailAdapterId', 'is not an EMAIL adapter');
      if (v.emailRecipients.length === 0)
        throw ValidationError.of('emailRecipients', 'name at least one recipient', 'required');
    }
    return [
      v.name,
      v.flowId,
      env.id,
      v.kind,
      v.threshold ?? 1,
      v.windowMinutes,
      v.webhookUrl,
      v.emailAdapterId,
      v.emailRecipients,
      v.enabled,
    ];
  }
}
