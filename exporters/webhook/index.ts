export { webhookExporter } from './factory.js';
export { webhookConfigSchema } from './config.js';
export type { WebhookConfig } from './config.js';
export type { WebhookAlert, WebhookPayload } from './payload.js';
