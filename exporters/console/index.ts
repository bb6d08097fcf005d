export { consoleExporter } from './factory.js';
export type { ConsoleConfig } from './config.js';
