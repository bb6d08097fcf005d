export { registryReceiver } from './factory.js';
export type { RegistryConfig } from './config.js';
export type { RegistryEntry, RegistrySource, SourceUpdate } from './source.js';
