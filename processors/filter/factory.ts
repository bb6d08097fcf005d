import { defineProcessor } from '../../src/index.js';
import { filterConfigSchema } from './config.js';
import { seriesFilter } from './filter.js';
import { compileMatcher } from './matcher.js';

export const filterProcessor = defineProcessor({
  type: 'filter',
  description: 'Keeps or drops metric points by metric name, attributes and resource attributes (exact or regular-expression matches).',
  schema: filterConfigSchema,
  input: 'metrics',
  output: 'metrics',
  create: (config, ctx) =>
    seriesFilter({
      include: config.include === undefined ? undefined : compileMatcher(config.include),
      exclude: config.exclude === undefined ? undefined : compileMatcher(config.exclude),
      onDrop: (count) => ctx.telemetry.dropped(count, { reason: 'filtered' }),
    }),
});
