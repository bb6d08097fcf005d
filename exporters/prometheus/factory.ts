import { defineExporter } from '../../src/index.js';
import { prometheusConfigSchema } from './config.js';
import { createPrometheusExporter } from './exporter.js';

export const prometheusExporter = defineExporter({
  type: 'prometheus',
  description: 'Serves the latest value of every series on 127.0.0.1:9464/metrics in the Prometheus text format, for Prometheus to scrape.',
  schema: prometheusConfigSchema,
  signals: ['metrics'],
  create: (config, context) => createPrometheusExporter(config, context),
});
