export { cooldownProcessor } from './factory.js';
export type { CooldownConfig } from './config.js';
