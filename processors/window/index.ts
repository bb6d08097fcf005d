export { windowProcessor } from './factory.js';
export type { WindowConfig } from './config.js';
