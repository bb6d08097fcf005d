export { historyExporter } from './factory.js';
export type { HistoryConfig } from './config.js';
