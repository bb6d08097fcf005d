export { processReceiver } from './factory.js';
export type { ProcessConfig } from './config.js';
