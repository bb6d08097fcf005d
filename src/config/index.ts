export { loadConfig, loadConfigFromSources, pluginSpecifiersFromSources, readConfigSources } from './load.js';
export type { PluginListResult, ReadSourcesResult } from './load.js';
export { formatProblem, sortProblems } from './problem.js';
export type { ConfigProblem } from './problem.js';
export type {
  ComponentConfig,
  ConfigSource,
  LoadResult,
  PipelineConfig,
  ResolvedConfig,
  ServiceConfig,
} from './types.js';
export type { Environment } from './env.js';
export { parseComponentId } from './component-id.js';
export { configFingerprint, stableJson } from './fingerprint.js';
export { LOG_LEVELS } from './schema.js';
export { duration, size, parseDuration, parseSize, formatDuration, formatSize, MAX_TIMER_MS } from './units.js';
export { redact, redactValue } from './secrets.js';
