import { defineExporter } from '../../src/index.js';
import { webhookConfigSchema } from './config.js';
import { createWebhookExporter } from './exporter.js';

export const webhookExporter = defineExporter({
  type: 'webhook',
  description: "POSTs alerts as Alertmanager's webhook payload (version 4): durable, in order per alert, retried until accepted.",
  schema: webhookConfigSchema,
  signals: ['alerts'],
  create: (config, ctx) => createWebhookExporter(config, ctx),
});
