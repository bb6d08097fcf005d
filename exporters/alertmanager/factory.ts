import { defineExporter } from '../../src/index.js';
import { alertmanagerConfigSchema } from './config.js';
import { createAlertmanagerExporter } from './exporter.js';

export const alertmanagerExporter = defineExporter({
  type: 'alertmanager',
  description: 'Sends alerts to Prometheus Alertmanager (API v2): durable, in order per alert, firing ones re-sent until resolved.',
  schema: alertmanagerConfigSchema,
  signals: ['alerts'],
  create: (config, ctx) => createAlertmanagerExporter(config, ctx),
});
