import { loadRuntimeMonitoringConfig, type RuntimeMonitoringConfig } from '@integrixs/runtime';

/** Dependency-injection token for the runtime monitoring settings (read and validated at boot). */
export const RUNTIME_MONITORING_CONFIG = Symbol('RUNTIME_MONITORING_CONFIG');

export const runtimeMonitoringConfigProvider = {
  provide: RUNTIME_MONITORING_CONFIG,
  useFactory: (): RuntimeMonitoringConfig => loadRuntimeMonitoringConfig(process.env),
};
