export { filterProcessor } from './factory.js';
export type { FilterConfig } from './config.js';
