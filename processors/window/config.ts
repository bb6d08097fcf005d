import { boundedInt, duration, formatDuration, z } from '../../src/index.js';
import { AGGREGATES } from './aggregates.js';

/** What a window reports per series when the user names nothing: the ancestor's figures plus count. */
export const DEFAULT_AGGREGATES = ['mean', 'min', 'max', 'last', 'count'] as const satisfies readonly (typeof AGGREGATES)[number][];

/**
 * Most panes (size / every) one window is made of: every series keeps that many panes, each
 * with its own sketch when a quantile is asked for, so memory per series grows with it.
 */
export const MAX_PANES = 60;

const WINDOW_BOUND = {
  max: '24h',
  maxReason: 'a window keeps every series it sees in memory until it ends; keep longer views in history',
} as const;

export const windowConfigSchema = z
  .strictObject({
    size: duration({ min: '1ms', ...WINDOW_BOUND })
      .prefault('60s')
      .describe('Length of each window. Without `every` windows tumble: they are aligned to multiples of `size` since the Unix epoch.'),
    every: duration({ min: '1ms', ...WINDOW_BOUND })
      .optional()
      .describe(
        `How often a window closes: a sliding window of \`size\` ends at every multiple of \`every\` since the Unix epoch. ` +
          `\`size\` must be a multiple of it, at most ${MAX_PANES} times. Default: \`size\` (tumbling windows).`,
      ),
    grace: duration({ max: '1h', maxReason: 'a grace period holds every window open that long: keep it short' })
      .prefault('0s')
      .describe('How long after its end a window still takes late points (event time behind the clock); later points are dropped and counted (`reason=late`).'),
    aggregates: z
      .array(z.enum(AGGREGATES))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'name each aggregate once')
      .default([...DEFAULT_AGGREGATES])
      .describe(
        'Figures emitted per series and window, each as a gauge with the attribute `aggregate`. ' +
          '`rate`: per second over the window, for monotonic counters only (resets counted from zero). ' +
          '`p50` `p90` `p95` `p99`: quantiles through a DDSketch, within `relative_accuracy`.',
      ),
    relative_accuracy: z
      .number()
      .min(0.0005)
      .max(0.1)
      .default(0.01)
      .describe(
        'Relative accuracy of the quantile aggregates (DDSketch): a reported p95 is within ±relative_accuracy of the value ' +
          'of the point at that rank (0.01: within 1 %). Smaller costs memory: about ln(max/min) / (2 × relative_accuracy) counters per sketch.',
      ),
    max_series: boundedInt({
      min: 1,
      max: 10_000_000,
      maxReason: 'every series holds its window in memory, and ten million is already gigabytes',
    })
      .default(100_000)
      .describe('Most series held at once; points of further new series are dropped and counted.'),
  })
  .superRefine((config, ctx) => {
    const every = config.every;
    if (every === undefined) return;
    if (every > config.size) {
      ctx.addIssue({ code: 'custom', path: ['every'], message: `every (${formatDuration(every)}) must not be longer than size (${formatDuration(config.size)})` });
    } else if (config.size % every !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['every'],
        message: `size (${formatDuration(config.size)}) must be a whole multiple of every (${formatDuration(every)}): a window is made of size / every panes`,
      });
    } else if (config.size / every > MAX_PANES) {
      ctx.addIssue({
        code: 'custom',
        path: ['every'],
        message: `size / every is ${config.size / every}, at most ${MAX_PANES}: every series keeps one pane per step of the window`,
      });
    }
  })
  .describe('Aggregates metric points per series into tumbling or sliding event-time windows.');

export type WindowConfig = z.output<typeof windowConfigSchema>;
