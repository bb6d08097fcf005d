export { registryReceiver } from './factory.js';
export { registryConfigSchema } from './config.js';
export type { RegistryConfig } from './config.js';
export { REGISTRY_METRICS, INSTANCE_STATES } from './metrics.js';
export type { RegistryEntry, RegistrySource, SourceUpdate } from './source.js';
