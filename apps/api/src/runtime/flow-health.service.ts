import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { NotFoundError, ValidationError } from '../core/errors/app-error';
import { type FlowHealthDto } from './dto/runtime.dto';

interface WindowRow {
  window: string;
  seconds: number;
  messages: number;
  succeeded: number;
  failed: number;
  retrying: number;
  in_flight: number;
  p50: number | null;
  p95: number | null;
  as_of: string;
  environment: string | null;
  flow_found: boolean;
}

/**
 * One statement per call, for all three windows, the flow's package check and the environment:
 * each window is a range scan of runtime_messages_by_flow (flow, environment, received_at) from
 * its start to now; figures are over the messages received in the window (latency over those
 * that finished, `duration_ms`).
 */
const HEALTH_SQL = `
  WITH now AS (SELECT now() AS at),
  flow AS (SELECT id FROM package_assets
            WHERE id = $1 AND package_id = $2 AND type = 'FLOW' AND deleted_at IS NULL),
  env AS (SELECT id, code FROM environments WHERE code = upper($3)),
  windows (window_name, seconds) AS (VALUES ('5m', 300), ('1h', 3600), ('24h', 86400))
  SELECT w.window_name AS window, w.seconds,
         count(m.id)::int AS messages,
         count(m.id) FILTER (WHERE m.status = 'SUCCEEDED')::int AS succeeded,
         count(m.id) FILTER (WHERE m.status = 'DEAD_LETTERED')::int AS failed,
         count(m.id) FILTER (WHERE m.status = 'RETRYING')::int AS retrying,
         count(m.id) FILTER (WHERE m.status IN ('QUEUED', 'RUNNING'))::int AS in_flight,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY m.duration_ms) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY m.duration_ms) AS p95,
         to_json(min(now.at))#>>'{}' AS as_of,
         (SELECT code FROM env) AS environment,
         EXISTS (SELECT 1 FROM flow) AS flow_found
    FROM windows w
    CROSS JOIN now
    LEFT JOIN runtime_messages m
           ON m.flow_id = (SELECT id FROM flow) AND m.environment_id = (SELECT id FROM env)
          AND m.received_at >= now.at - make_interval(secs => w.seconds)
   GROUP BY w.window_name, w.seconds
   ORDER BY w.seconds`;

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Per flow and environment: throughput, error rate and latency over 5 min, 1 h and 24 h. */
@Injectable()
export class FlowHealthService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async health(packageId: string, flowId: string, environment: string): Promise<FlowHealthDto> {
    const rows = await this.db.query<WindowRow[]>(HEALTH_SQL, [flowId, packageId, environment]);
    if (!rows[0]?.flow_found) throw new NotFoundError('Flow', flowId);
    const code = rows[0].environment;
    if (code === null)
      throw ValidationError.of(
        'environment',
        `there is no environment ${environment.toUpperCase()}`,
        'unknown',
      );
    return {
      flowId,
      environment: code,
      asOf: rows[0].as_of,
      windows: rows.map((r) => {
        const finished = r.succeeded + r.failed;
        return {
          window: r.window,
          messages: r.messages,
          succeeded: r.succeeded,
          failed: r.failed,
          retrying: r.retrying,
          inFlight: r.in_flight,
          throughputPerMinute: round(r.messages / (r.seconds / 60), 3),
          errorRate: finished === 0 ? null : round(r.failed / finished, 4),
          p50Ms: r.p50 === null ? null : round(Number(r.p50), 1),
          p95Ms: r.p95 === null ? null : round(Number(r.p95), 1),
        };
      }),
    };
  }
}
