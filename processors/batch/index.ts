export { batchProcessor } from './factory.js';
export type { BatchConfig } from './config.js';
