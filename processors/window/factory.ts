import { defineProcessor } from '../../src/index.js';
import { windowConfigSchema } from './config.js';
import { eventTimeWindow } from './event-time-window.js';
import type { WindowDropReason } from './window-state.js';

const DROP_MESSAGES: Record<WindowDropReason, string> = {
  late: 'points arrived after their window (and its grace) had closed and were dropped',
  max_series: 'max_series reached: points of new series are dropped',
  not_a_number: 'points with a NaN value were dropped',
  histogram:
    'histogram points are not windowed (a histogram point is a distribution, not one value): they were dropped; ' +
    'send the raw values, or export histograms in a metrics pipeline without window',
};

export const windowProcessor = defineProcessor({
  type: 'window',
  description: 'Aggregates metric points per series into tumbling or sliding event-time windows (mean, min, max, last, count, sum, rate, p50, p90, p95, p99).',
  schema: windowConfigSchema,
  input: 'metrics',
  output: 'metrics',
  create: (config, ctx) =>
    eventTimeWindow({
      size: config.size,
      every: config.every,
      grace: config.grace,
      aggregates: config.aggregates,
      relativeAccuracy: config.relative_accuracy,
      maxSeries: config.max_series,
      scheduler: ctx.scheduler,
      onDrop: (reason, count) => {
        ctx.telemetry.dropped(count, { reason });
        ctx.logger.once(`dropped:${reason}`, 'warn', DROP_MESSAGES[reason], { reason, max_series: config.max_series });
      },
      onRateOfNonCounter: (series) =>
        ctx.logger.once(
          'rate:not_a_counter',
          'warn',
          'rate is defined for monotonic counters (a sum that only grows) only: a gauge or up-down sum has no rate figure, its other figures are emitted',
          { metric: series.name, kind: series.kind },
        ),
    }),
});
