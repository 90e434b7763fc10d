import { type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { type AlertKind } from './dto/alert-rule.dto';

/** A rule as the evaluator reads it. */
export interface EvaluatedRule {
  id: string;
  package_id: string;
  name: string;
  flow_id: string | null;
  environment_id: string;
  environment: string;
  kind: AlertKind;
  threshold: number;
  window_minutes: number;
}

/** One condition that holds now: its dedupe key within the rule, and what to say about it. */
export interface Firing {
  key: string;
  detail: { summary: string; flowId: string | null; deploymentId: string | null; value: number };
}

interface FlowCount {
  flow_id: string;
  flow_name: string;
  n: number;
  total: number;
}

const SCOPE = `m.package_id = $1 AND m.environment_id = $2 AND ($3::uuid IS NULL OR m.flow_id = $3)`;
const FLOW_NAME = `(SELECT name FROM package_assets WHERE id = m.flow_id)`;

/**
 * What fires now for one rule, per flow (per deployment for HEALTH_CHECK). Each query reads an
 * index (messages by package and reception time, the waiting and open-dead-letter partial
 * indexes, health rows) and only the rule's window.
 */
export async function firingNow(m: EntityManager, rule: EvaluatedRule): Promise<Firing[]> {
  const scope = [rule.package_id, rule.environment_id, rule.flow_id];
  const at = (n: number) => Math.max(1, n);
  switch (rule.kind) {
    case 'ERROR_RATE': {
      const rows = await queryRows<FlowCount>(
        m,
        `SELECT m.flow_id, ${FLOW_NAME} AS flow_name,
                count(*) FILTER (WHERE m.status = 'DEAD_LETTERED')::int AS n, count(*)::int AS total
           FROM runtime_messages m
          WHERE ${SCOPE} AND m.received_at >= now() - make_interval(mins => $4)
            AND m.status IN ('SUCCEEDED', 'DEAD_LETTERED')
          GROUP BY m.flow_id`,
        [...scope, rule.window_minutes],
      );
      return rows
        .filter((r) => r.total > 0 && (100 * r.n) / r.total > rule.threshold)
        .map((r) => {
          const rate = Math.round((1000 * r.n) / r.total) / 10;
          return {
            key: `flow:${r.flow_id}`,
            detail: {
              summary: `${r.flow_name}: ${r.n} of ${r.total} messages dead-lettered (${rate}%) in the last ${rule.window_minutes} min, threshold ${rule.threshold}%`,
              flowId: r.flow_id,
              deploymentId: null,
              value: rate,
            },
          };
        });
    }
    case 'DEAD_LETTERS': {
      const rows = await queryRows<FlowCount>(
        m,
        `SELECT m.flow_id, ${FLOW_NAME} AS flow_name, count(*)::int AS n, count(*)::int AS total
           FROM runtime_dead_letters m
          WHERE ${SCOPE} AND m.created_at >= now() - make_interval(mins => $4)
          GROUP BY m.flow_id`,
        [...scope, rule.window_minutes],
      );
      return rows
        .filter((r) => r.n >= at(rule.threshold))
        .map((r) => ({
          key: `flow:${r.flow_id}`,
          detail: {
            summary: `${r.flow_name}: ${r.n} new dead letter(s) in the last ${rule.window_minutes} min`,
            flowId: r.flow_id,
            deploymentId: null,
            value: r.n,
          },
        }));
    }
    case 'STUCK_QUEUE': {
      const rows = await queryRows<FlowCount>(
        m,
        `SELECT m.flow_id, ${FLOW_NAME} AS flow_name, count(*)::int AS n, count(*)::int AS total
           FROM runtime_messages m
          WHERE ${SCOPE} AND m.status IN ('QUEUED', 'RETRYING')
            AND m.received_at < now() - make_interval(mins => $4)
            AND (m.status = 'QUEUED'
                 OR coalesce(m.next_attempt_at, m.received_at) < now() - make_interval(mins => $4))
          GROUP BY m.flow_id`,
        [...scope, rule.window_minutes],
      );
      return rows
        .filter((r) => r.n >= at(rule.threshold))
        .map((r) => ({
          key: `flow:${r.flow_id}`,
          detail: {
            summary: `${r.flow_name}: ${r.n} message(s) waiting longer than ${rule.window_minutes} min`,
            flowId: r.flow_id,
            deploymentId: null,
            value: r.n,
          },
        }));
    }
    case 'HEALTH_CHECK': {
      const rows = await queryRows<{
        deployment_id: string;
        flow_id: string;
        flow_name: string;
        messages_seen: number;
        messages_failed: number;
      }>(
        m,
        `SELECT m.deployment_id, m.flow_id, ${FLOW_NAME} AS flow_name, m.messages_seen,
                m.messages_failed
           FROM runtime_deployment_health m
           JOIN flow_deployments d ON d.id = m.deployment_id
          WHERE ${SCOPE} AND m.status = 'FAILING' AND d.state <> 'UNDEPLOYED'`,
        scope,
      );
      return rows.map((r) => ({
        key: `deployment:${r.deployment_id}`,
        detail: {
          summary: `${r.flow_name}: the new deployment failed its health check (${r.messages_failed} of its first ${r.messages_seen} messages failed)`,
          flowId: r.flow_id,
          deploymentId: r.deployment_id,
          value: r.messages_failed,
        },
      }));
    }
  }
}
