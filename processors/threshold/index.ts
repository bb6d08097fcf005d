export { thresholdProcessor } from './factory.js';
export { thresholdConfigSchema, ruleSchema } from './config.js';
export type { ThresholdConfig, RuleConfig, RuleInput } from './config.js';
export { DATAPUNK_RULES, PROFILES } from './profiles.js';
export { threshold } from './threshold.js';
export type { ThresholdOptions, ThresholdStateView } from './threshold.js';
