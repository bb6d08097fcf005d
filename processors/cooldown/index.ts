export { cooldownProcessor } from './factory.js';
export { cooldownConfigSchema, DEFAULT_PERIOD } from './config.js';
export type { CooldownConfig, SilenceConfig } from './config.js';
export { cooldown } from './cooldown.js';
export type { CooldownOptions, CooldownStateView } from './cooldown.js';
export { RECORDS_NAMESPACE } from './cooldown-state.js';
