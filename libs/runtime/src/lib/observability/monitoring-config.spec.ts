import { loadRuntimeMonitoringConfig } from './monitoring-config';

describe('loadRuntimeMonitoringConfig', () => {
  it('has the documented defaults: 30 days of executions, 7 of payloads, alerts every 30 s, tracing and the worker port off', () => {
    expect(loadRuntimeMonitoringConfig({})).toEqual({
      executionRetentionDays: 30,
      payloadRetentionDays: 7,
      retentionBatchSize: 500,
      retentionPauseMs: 100,
      alertIntervalSeconds: 30,
      alertDeliveryTimeoutMs: 10_000,
      healthCheckMessages: 5,
      healthCheckMinutes: 15,
      healthCheckErrorRatePercent: 20,
      healthAutoRollback: false,
      metricsPort: undefined,
      metricsHost: '0.0.0.0',
      otlpTracesEndpoint: undefined,
    });
  });

  it('reads the variables and prefers the explicit traces endpoint', () => {
    const config = loadRuntimeMonitoringConfig({
      RUNTIME_EXECUTION_RETENTION_DAYS: '90',
      RUNTIME_PAYLOAD_RETENTION_DAYS: '3',
      RUNTIME_METRICS_PORT: '9464',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp/v1/traces',
    });
    expect(config).toMatchObject({
      executionRetentionDays: 90,
      payloadRetentionDays: 3,
      metricsPort: 9464,
      otlpTracesEndpoint: 'https://traces.example.com/otlp/v1/traces',
    });
  });

  it('refuses bad values, naming every variable', () => {
    expect(() =>
      loadRuntimeMonitoringConfig({
        RUNTIME_EXECUTION_RETENTION_DAYS: '0',
        RUNTIME_ALERT_INTERVAL_SECONDS: 'soon',
        RUNTIME_METRICS_PORT: '70000',
        RUNTIME_HEALTH_CHECK_ERROR_RATE: '101',
        RUNTIME_HEALTH_AUTO_ROLLBACK: 'maybe',
      }),
    ).toThrow(
      /RUNTIME_EXECUTION_RETENTION_DAYS must be a whole number from 1 to 36500, got "0"[\s\S]*RUNTIME_ALERT_INTERVAL_SECONDS[\s\S]*RUNTIME_HEALTH_CHECK_ERROR_RATE[\s\S]*RUNTIME_HEALTH_AUTO_ROLLBACK must be on or off[\s\S]*RUNTIME_METRICS_PORT/,
    );
  });
});
