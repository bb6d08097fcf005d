export { consoleExporter } from './factory.js';
export { consoleConfigSchema } from './config.js';
export type { ConsoleConfig } from './config.js';
export { createConsoleExporter, defaultWriter, streamWriter } from './exporter.js';
export type { ConsoleWrite } from './exporter.js';
export { eventLine, jsonLines, pointLine } from './json.js';
export { eventTable, formatValue, pointTable, table } from './table.js';
export type { BatchFormat } from './format.js';
