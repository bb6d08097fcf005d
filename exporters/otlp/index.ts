export { otlpExporter } from './factory.js';
export type { OtlpConfig } from './config.js';
