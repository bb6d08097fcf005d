export { fileSourceSchema } from './config.js';
export type { FileSourceConfig } from './config.js';
export { createFileSource } from './file-source.js';
