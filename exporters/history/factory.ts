import { defineExporter } from '../../src/index.js';
import type { Signal } from '../../src/index.js';
import { historyConfigSchema } from './config.js';
import { createHistoryExporter } from './exporter.js';

export const historyExporter = defineExporter({
  type: 'history',
  description:
    'Keeps metric points (raw, 1 min and 1 h rollups with quantile sketches) and health events in the store, for `status`, `history` and the HTTP API.',
  schema: historyConfigSchema,
  signals: ['metrics', 'alerts'] as Signal[],
  single: true,
  create: (config, ctx) => createHistoryExporter(config, ctx),
});
