export { httpSdSourceSchema } from './config.js';
export type { HttpSdSourceConfig } from './config.js';
export { createHttpSdSource } from './http-sd-source.js';
