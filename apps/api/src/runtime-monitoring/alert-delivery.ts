import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type LookupFunction } from 'node:net';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { openSmtpSender, resolveTarget, type TargetPolicy } from '@integrixs/adapters';
import { type EmailAdapterSecrets, type SmtpConfig } from '@integrixs/domain';
import { type RuntimeMonitoringConfig } from '@integrixs/runtime';

import { mergeOverlay, setAt, type Config } from '../adapter/adapter-config';
import { adapterContentOf } from '../adapter/adapter-content';
import { AdapterSecrets } from '../adapter/adapter-secrets';
import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { queryRows } from '../core/database/query-rows';
import { RUNTIME_MONITORING_CONFIG } from './runtime-monitoring-config';

/** What a channel is told: one alert, firing or resolved. */
export interface AlertNotice {
  id: string;
  state: 'FIRING' | 'RESOLVED';
  rule: { id: string; name: string; kind: string };
  packageId: string;
  environment: string;
  dedupeKey: string;
  firstFiredAt: string;
  resolvedAt: string | null;
  detail: { summary: string; flowId: string | null; deploymentId: string | null; value: number };
}

/**
 * Delivers alerts: a JSON POST to a webhook (through the adapters' outbound target policy: the
 * host is resolved and checked, then that address is connected to), and e-mail through an
 * EMAIL adapter's SMTP session with its effective configuration in the rule's environment
 * (overlay merged, credentials opened). Each with RUNTIME_ALERT_TIMEOUT_MS.
 */
@Injectable()
export class AlertDelivery {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    @Inject(RUNTIME_MONITORING_CONFIG) private readonly config: RuntimeMonitoringConfig,
    private readonly secrets: AdapterSecrets,
  ) {}

  private get policy(): TargetPolicy {
    return {
      allow: [...this.app.outboundAllow],
      deny: [...this.app.outboundDeny],
      allowLoopback: this.app.outboundAllowLoopback,
    };
  }

  async webhook(url: string, notice: AlertNotice): Promise<void> {
    const target = new URL(url);
    const resolved = await resolveTarget(target.hostname, this.policy);
    const body = JSON.stringify({ alert: notice, text: subjectOf(notice) });
    const lookup: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all)
        (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address: resolved.address, family: resolved.family },
        ]);
      else callback(null, resolved.address, resolved.family);
    };
    const options: RequestOptions = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'integrixs-alerts',
      },
      lookup,
      timeout: this.config.alertDeliveryTimeoutMs,
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    await new Promise<void>((resolve, reject) => {
      const req = send(target, options, (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300
            ? resolve()
            : reject(new Error(`webhook ${target.origin} answered ${res.statusCode}`)),
        );
      });
      req.on('timeout', () =>
        req.destroy(new Error(`webhook ${target.origin} did not answer in time`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async email(
    adapterId: string,
    environmentId: string,
    recipients: string[],
    notice: AlertNotice,
  ): Promise<void> {
    const { smtp, password } = await this.smtpSettings(adapterId, environmentId);
    const session = await openSmtpSender(
      { ...smtp, connectTimeoutMs: smtp.connectTimeoutMs ?? this.config.alertDeliveryTimeoutMs },
      { password },
      { policy: this.policy },
    );
    try {
      await session.send({ to: recipients, subject: subjectOf(notice), text: textOf(notice) });
    } finally {
      await session.close();
    }
  }

  /** The EMAIL adapter's SMTP settings in one environment: current version + overlay + secrets. */
  private async smtpSettings(
    adapterId: string,
    environmentId: string,
  ): Promise<{ smtp: SmtpConfig; password: string | undefined }> {
    const [row] = await queryRows<{ content: unknown; overlay: Config | null }>(
      this.db.manager,
      `SELECT v.content, o."values" AS overlay
         FROM package_assets a
         JOIN asset_versions v ON v.asset_id = a.id AND v.version_number = a.current_version
         LEFT JOIN adapter_environment_overlays o ON o.asset_id = a.id AND o.environment_id = $2
        WHERE a.id = $1 AND a.type = 'ADAPTER' AND a.deleted_at IS NULL`,
      [adapterId, environmentId],
    );
    if (!row) throw new Error(`the EMAIL adapter ${adapterId} no longer exists`);
    const content = adapterContentOf(row.content);
    const configuration = mergeOverlay(content.configuration, row.overlay ?? {});
    const secrets: Config = {};
    for (const [pointer, value] of Object.entries(
      await this.secrets.openFor(this.db.manager, adapterId, environmentId),
    ))
      setAt(secrets, pointer, value);
    const smtp = configuration['smtp'] as SmtpConfig | undefined;
    if (content.adapterType !== 'EMAIL' || !smtp?.host)
      throw new Error(`the adapter ${adapterId} has no SMTP settings in this environment`);
    return { smtp, password: (secrets as EmailAdapterSecrets).smtp?.password };
  }
}

export function subjectOf(notice: AlertNotice): string {
  return `[Integrixs] ${notice.state}: ${notice.rule.name} (${notice.environment}) - ${notice.detail.summary}`;
}

function textOf(notice: AlertNotice): string {
  return [
    `${notice.state === 'FIRING' ? 'Alert firing' : 'Alert resolved'}: ${notice.rule.name}`,
    '',
    notice.detail.summary,
    '',
    `Rule: ${notice.rule.kind} (${notice.rule.id})`,
    `Environment: ${notice.environment}`,
    `Package: ${notice.packageId}`,
    ...(notice.detail.flowId ? [`Flow: ${notice.detail.flowId}`] : []),
    ...(notice.detail.deploymentId ? [`Deployment: ${notice.detail.deploymentId}`] : []),
    `Firing since: ${notice.firstFiredAt}`,
    ...(notice.resolvedAt ? [`Resolved at: ${notice.resolvedAt}`] : []),
    `Alert: ${notice.id}`,
  ].join('\n');
}
