export { createInternalReceiverFactory } from './factory.js';
export { internalReceiverSchema } from './config.js';
export type { InternalReceiverConfig } from './config.js';
export { internalMetrics$ } from './receiver.js';
export type { MetricSource } from './receiver.js';
