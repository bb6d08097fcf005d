export { hostReceiver } from './factory.js';
export { hostConfigSchema } from './config.js';
export type { HostConfig } from './config.js';
export { HOST_METRICS } from './metrics.js';
export type { HostMetricName } from './metrics.js';
