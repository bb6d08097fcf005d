import { EMPTY, map } from 'rxjs';
import type { EventBatch } from '../../src/model/event.js';
import type { MetricBatch } from '../../src/model/point.js';
import { z } from 'zod';
import { defineExporter, defineProcessor, defineReceiver } from '../../src/component/define.js';
import { ComponentRegistry } from '../../src/component/registry.js';
import { duration } from '../../src/config/units.js';

/** Small fake factories covering every signal shape the graph rules care about. */
export const poller = defineReceiver({
  type: 'poller',
  description: 'a metrics receiver',
  schema: z.strictObject({
    collection_interval: duration({ min: 1 }).prefault('15s'),
    port: z.number().int().min(1).max(65535).optional(),
    token: z.string().optional(),
    targets: z
      .array(z.strictObject({ service: z.string(), labels: z.record(z.string(), z.string()).optional() }))
      .default([]),
  }),
  create: () => EMPTY,
});

export const smoother = defineProcessor({
  type: 'smoother',
  description: 'metrics → metrics',
  input: 'metrics',
  output: 'metrics',
  schema: z.strictObject({ size: duration().prefault('60s') }),
  create: () => map((batch: MetricBatch) => batch),
});

export const judge = defineProcessor({
  type: 'judge',
  description: 'metrics → alerts',
  input: 'metrics',
  output: 'alerts',
  schema: z.strictObject({ profile: z.enum(['datapunk', 'strict']).default('datapunk') }),
  create: () => map((_batch: MetricBatch): EventBatch => []),
});

export const muffler = defineProcessor({
  type: 'muffler',
  description: 'alerts → alerts',
  input: 'alerts',
  output: 'alerts',
  schema: z.strictObject({ period: duration().prefault('300s') }),
  create: () => map((batch: EventBatch) => batch),
});

const sink = { consume: () => undefined, flush: async () => undefined, shutdown: async () => undefined };

export const shipper = defineExporter({
  type: 'shipper',
  description: 'metrics only',
  signals: ['metrics'],
  schema: z.strictObject({
    endpoint: z.string().default('http://127.0.0.1:4318'),
    api_key: z.string().min(20).optional(),
    timeout: duration().prefault('5s'),
  }),
  create: () => sink,
});

export const pager = defineExporter({
  type: 'pager',
  description: 'alerts only',
  signals: ['alerts'],
  schema: z.strictObject({
    url: z.string().default('http://127.0.0.1:9093'),
    // A careless schema that quotes the value it rejects: the loader must scrub it.
    authorization: z
      .string()
      .superRefine((value, ctx) => {
        if (!value.startsWith('Bearer ')) ctx.addIssue({ code: 'custom', message: `"${value}" is not a bearer token` });
      })
      .optional(),
  }),
  create: () => sink,
});

export const printer = defineExporter({
  type: 'printer',
  description: 'both signals',
  signals: ['metrics', 'alerts'],
  schema: z.strictObject({ verbosity: z.enum(['basic', 'detailed']).default('basic') }),
  create: () => sink,
});

export function testRegistry(): ComponentRegistry {
  return new ComponentRegistry([poller, smoother, judge, muffler, shipper, pager, printer]);
}
