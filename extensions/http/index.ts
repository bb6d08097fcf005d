export { httpExtension } from './factory.js';
export type { HttpConfig } from './config.js';
