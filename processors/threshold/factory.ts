import { defineProcessor } from '../../src/index.js';
import { thresholdConfigSchema } from './config.js';
import { threshold } from './threshold.js';

export const thresholdProcessor = defineProcessor({
  type: 'threshold',
  description: 'Turns window figures into health events: a level per series and rule (above, below, Nagios ranges), an event when it changes.',
  schema: thresholdConfigSchema,
  input: 'metrics',
  output: 'alerts',
  create: (config, ctx) =>
    threshold(config, {
      scheduler: ctx.scheduler,
      storage: ctx.storage,
      component: ctx.id,
      onDrop: (count) => {
        ctx.telemetry.dropped(count, { reason: 'max_series' });
        ctx.logger.once('dropped:max_series', 'warn', 'max_series reached: points of new series are dropped', { max_series: config.max_series });
      },
    }),
});
