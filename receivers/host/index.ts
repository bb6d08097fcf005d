export { hostReceiver } from './factory.js';
export type { HostConfig } from './config.js';
export type { HostMetricName } from './metrics.js';
