import { defineProcessor } from '../../src/index.js';
import { windowConfigSchema } from './config.js';
import { tumblingWindow } from './tumbling-window.js';
import type { WindowDropReason } from './window-state.js';

const DROP_MESSAGES: Record<WindowDropReason, string> = {
  late: 'points arrived after their window had closed and were dropped',
  max_series: 'max_series reached: points of new series are dropped',
  not_a_number: 'points with a NaN value were dropped',
};

export const windowProcessor = defineProcessor({
  type: 'window',
  description: 'Aggregates metric points per series into tumbling event-time windows (mean, min, max, last, count, sum).',
  schema: windowConfigSchema,
  input: 'metrics',
  output: 'metrics',
  create: (config, ctx) =>
    tumblingWindow({
      size: config.size,
      aggregates: config.aggregates,
      maxSeries: config.max_series,
      scheduler: ctx.scheduler,
      onDrop: (reason, count) => {
        ctx.telemetry.dropped(count, { reason });
        ctx.logger.once(`dropped:${reason}`, 'warn', DROP_MESSAGES[reason], { reason, max_series: config.max_series });
      },
    }),
});
