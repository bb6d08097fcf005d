export { alertmanagerExporter } from './factory.js';
export { alertmanagerConfigSchema } from './config.js';
export type { AlertmanagerConfig } from './config.js';
