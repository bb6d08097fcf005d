import { defineExtension } from '../../src/index.js';
import { httpConfigSchema } from './config.js';
import { createHttpExtension } from './extension.js';

export const httpExtension = defineExtension({
  type: 'http',
  description: 'An HTTP API and a live status page on 127.0.0.1:13133: /healthz, per-service health+json, history, alerts, silences.',
  schema: httpConfigSchema,
  create: (config, context) => createHttpExtension(config, context),
});
