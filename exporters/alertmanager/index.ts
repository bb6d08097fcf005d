export { alertmanagerExporter } from './factory.js';
export type { AlertmanagerConfig } from './config.js';
