export { fileExporter } from './factory.js';
export { fileConfigSchema } from './config.js';
export type { FileConfig } from './config.js';
