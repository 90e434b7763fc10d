/**
 * Settings of the runtime's monitoring (metrics, retention, alerts, post-deployment health
 * checks, traces), read from the environment by the API and the worker alike. A bad value
 * throws naming the variable, so the process stops at boot (README: Configuration).
 */
export interface RuntimeMonitoringConfig {
  /** runtime_messages (with their steps and payloads) finished this long ago are deleted. */
  readonly executionRetentionDays: number;
  /** runtime_payloads this old are deleted (never one an OPEN dead letter or a waiting message needs). */
  readonly payloadRetentionDays: number;
  /** Rows deleted per short cleanup transaction, and the pause between two. */
  readonly retentionBatchSize: number;
  readonly retentionPauseMs: number;
  /** How often alert rules (and post-deployment health checks) are evaluated. */
  readonly alertIntervalSeconds: number;
  /** A webhook or SMTP delivery taking longer fails (retried at the next evaluation). */
  readonly alertDeliveryTimeoutMs: number;
  /** Post-deployment health: the first N messages of a deployment decide… */
  readonly healthCheckMessages: number;
  /** …or what arrived within these minutes after it became DEPLOYED. */
  readonly healthCheckMinutes: number;
  /** FAILING when more than this percentage of the watched messages failed. */
  readonly healthCheckErrorRatePercent: number;
  /** On FAILING, re-activate the deployment it replaced (never in a protected environment). */
  readonly healthAutoRollback: boolean;
  /** The worker serves its Prometheus registry on this port (unset: not served). */
  readonly metricsPort: number | undefined;
  /** The address it listens on (the endpoint has no authentication: firewall it). */
  readonly metricsHost: string;
  /** OTLP/HTTP traces endpoint (unset: tracing off). */
  readonly otlpTracesEndpoint: string | undefined;
}

type Env = Record<string, string | undefined>;

export class RuntimeMonitoringConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RuntimeMonitoringConfigError';
  }
}

/** Reads and validates the monitoring settings; throws naming every bad variable. */
export function loadRuntimeMonitoringConfig(env: Env = process.env): RuntimeMonitoringConfig {
  const problems: string[] = [];
  const raw = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const value = raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return Number(value);
  };
  const onOff = (name: string) => {
    const value = raw(name)?.toLowerCase();
    if (value === undefined) return false;
    if (['on', 'true', '1', 'yes'].includes(value)) return true;
    if (['off', 'false', '0', 'no'].includes(value)) return false;
    problems.push(`${name} must be on or off, got "${value}"`);
    return false;
  };
  const url = (name: string) => {
    const value = raw(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
    } catch {
      // reported below
    }
    problems.push(`${name} must be an http:// or https:// URL, got "${value}"`);
    return undefined;
  };
  const metricsPort = raw('RUNTIME_METRICS_PORT');
  const tracesEndpoint = url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = url('OTEL_EXPORTER_OTLP_ENDPOINT');
  const config: RuntimeMonitoringConfig = {
    executionRetentionDays: integer('RUNTIME_EXECUTION_RETENTION_DAYS', 30, 1, 36_500),
    payloadRetentionDays: integer('RUNTIME_PAYLOAD_RETENTION_DAYS', 7, 1, 36_500),
    retentionBatchSize: integer('RUNTIME_RETENTION_BATCH_SIZE', 500, 1, 50_000),
    retentionPauseMs: integer('RUNTIME_RETENTION_PAUSE_MS', 100, 0, 60_000),
    alertIntervalSeconds: integer('RUNTIME_ALERT_INTERVAL_SECONDS', 30, 1, 86_400),
    alertDeliveryTimeoutMs: integer('RUNTIME_ALERT_TIMEOUT_MS', 10_000, 100, 300_000),
    healthCheckMessages: integer('RUNTIME_HEALTH_CHECK_MESSAGES', 5, 1, 10_000),
    healthCheckMinutes: integer('RUNTIME_HEALTH_CHECK_MINUTES', 15, 1, 10_080),
    healthCheckErrorRatePercent: integer('RUNTIME_HEALTH_CHECK_ERROR_RATE', 20, 0, 100),
    healthAutoRollback: onOff('RUNTIME_HEALTH_AUTO_ROLLBACK'),
    metricsPort:
      metricsPort === undefined ? undefined : integer('RUNTIME_METRICS_PORT', 0, 1, 65_535),
    metricsHost: raw('RUNTIME_METRICS_HOST') ?? '0.0.0.0',
    otlpTracesEndpoint:
      tracesEndpoint ??
      (baseEndpoint === undefined ? undefined : `${baseEndpoint.replace(/\/+$/, '')}/v1/traces`),
  };
  if (problems.length > 0) throw new RuntimeMonitoringConfigError(problems);
  return config;
}
