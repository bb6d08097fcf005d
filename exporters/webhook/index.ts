export { webhookExporter } from './factory.js';
export type { WebhookConfig } from './config.js';
