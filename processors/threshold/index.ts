export { thresholdProcessor } from './factory.js';
export type { ThresholdConfig } from './config.js';
