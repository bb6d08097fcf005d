import { defineExporter } from '../../src/index.js';
import { consoleConfigSchema } from './config.js';
import { createConsoleExporter } from './exporter.js';

export const consoleExporter = defineExporter({
  type: 'console',
  description: 'Prints metric points and alerts as a readable table or as JSON lines.',
  schema: consoleConfigSchema,
  signals: ['metrics', 'alerts'],
  create: (config, ctx) => createConsoleExporter(config, ctx),
});
