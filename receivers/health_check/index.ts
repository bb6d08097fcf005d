export { healthCheckReceiver } from './factory.js';
export { healthCheckConfigSchema } from './config.js';
export type { HealthCheckConfig, HealthCheckTargetConfig } from './config.js';
export { HEALTH_CHECK_METRICS } from './metrics.js';
export { CHECK_STATES, CHECK_ERROR_TYPES, HTTP_PHASES } from './check-result.js';
export type { Check, CheckResult, CheckState, CheckErrorType, HttpPhase, Perfdata } from './check-result.js';
