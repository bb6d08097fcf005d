export { attributesProcessor } from './factory.js';
export type { AttributesConfig } from './config.js';
