export * from './monitoring-config';
export * from './otel-observer';
export * from './runtime-metrics';
export * from './runtime-retention';
export * from './serve-metrics';
export * from './worker-observability';
