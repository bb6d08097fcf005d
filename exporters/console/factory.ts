import { defineExporter } from '../../src/component/define.js';
import { consoleConfigSchema } from './config.js';
import { createConsoleExporter, defaultWriter, terminalColumns } from './exporter.js';

export const consoleExporter = defineExporter({
  type: 'console',
  description: 'Prints metric points and alerts as a readable table or as JSON lines.',
  schema: consoleConfigSchema,
  signals: ['metrics', 'alerts'],
  create: (config, ctx) => createConsoleExporter(config, ctx, defaultWriter(config.output), terminalColumns(config.output)),
});
