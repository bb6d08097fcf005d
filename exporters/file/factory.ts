import { defineExporter } from '../../src/index.js';
import type { Signal } from '../../src/index.js';
import { fileConfigSchema } from './config.js';
import { createFileExporter } from './exporter.js';

export const fileExporter = defineExporter({
  type: 'file',
  description: 'Writes metric points and alerts as JSON lines to a file rotated by size; alerts wait in the store until written.',
  schema: fileConfigSchema,
  signals: ['metrics', 'alerts'] as Signal[],
  create: (config, ctx) => createFileExporter(config, ctx),
});
