import { boundedInt, duration, z } from '../../src/index.js';
import { AGGREGATES } from './aggregates.js';

/** What a window reports per series when the user names nothing: the ancestor's figures plus count. */
export const DEFAULT_AGGREGATES = ['mean', 'min', 'max', 'last', 'count'] as const satisfies readonly (typeof AGGREGATES)[number][];

export const windowConfigSchema = z
  .strictObject({
    size: duration({
      min: '1ms',
      max: '24h',
      maxReason: 'a window keeps every series it sees in memory until it ends; keep longer views in history',
    })
      .prefault('60s')
      .describe('Length of each tumbling window; windows are aligned to multiples of it since the Unix epoch.'),
    aggregates: z
      .array(z.enum(AGGREGATES))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'name each aggregate once')
      .default([...DEFAULT_AGGREGATES])
      .describe('Figures emitted per series and window, each as a gauge with the attribute `aggregate`.'),
    max_series: boundedInt({
      min: 1,
      max: 10_000_000,
      maxReason: 'every series holds its window in memory, and ten million is already gigabytes',
    })
      .default(100_000)
      .describe('Most series held at once; points of further new series are dropped and counted.'),
  })
  .describe('Aggregates metric points per series into tumbling event-time windows.');

export type WindowConfig = z.output<typeof windowConfigSchema>;
