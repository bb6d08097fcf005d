export { prometheusExporter } from './factory.js';
export type { PrometheusConfig } from './config.js';
