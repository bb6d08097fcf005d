export { healthCheckReceiver } from './factory.js';
export type { HealthCheckConfig } from './config.js';
