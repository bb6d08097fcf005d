export { fileExporter } from './factory.js';
export type { FileConfig } from './config.js';
