import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type DataSource } from 'typeorm';

interface PgPoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Prometheus metrics of one API instance (its own registry, so several apps can share a process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() db: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    const pool = (): PgPoolStats | undefined =>
      (db.driver as unknown as { master?: PgPoolStats }).master;
    const poolGauge = (name: string, help: string, read: (stats: PgPoolStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const stats = pool();
          if (stats) this.set(read(stats));
        },
      });
    poolGauge(
      'db_pool_connections_total',
      'Connections open in the PostgreSQL pool',
      (s) => s.totalCount,
    );
    poolGauge(
      'db_pool_connections_idle',
      'Idle connections in the PostgreSQL pool',
      (s) => s.idleCount,
    );
    poolGauge(
      'db_pool_requests_waiting',
      'Queries waiting for a pool connection',
      (s) => s.waitingCount,
    );
  }

  /** The hook for feature modules' own metrics (the runtime's): `register` adds them to this registry. */
  addMetrics(register: (registry: Registry) => void): void {
    register(this.registry);
  }

  /**
   * One histogram child per method, route template and status, looked up by a plain string key:
   * prom-client otherwise validates and hashes the label object on every observation.
   */
  private readonly httpChildren = new Map<string, { observe(value: number): void }>();

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let child = this.httpChildren.get(key);
    if (child === undefined) {
      child = this.httpDuration.labels({ method, route, status_code: String(statusCode) });
      this.httpChildren.set(key, child);
    }
    child.observe(seconds);
  }
}
