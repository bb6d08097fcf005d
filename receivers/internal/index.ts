export { createInternalReceiverFactory } from './factory.js';
export type { InternalReceiverConfig } from './config.js';
