import { z } from 'zod';
import { map, Observable, timer } from 'rxjs';
import { defineExporter, defineProcessor, defineReceiver } from '../../src/component/define.js';
import { ComponentRegistry } from '../../src/component/registry.js';
import { duration } from '../../src/config/units.js';
import { Resource, SeriesSet } from '../../src/model/series.js';
import type { MetricBatch, MetricPoint } from '../../src/model/point.js';
import type { AnyBatch, Signal } from '../../src/model/signal.js';
import type { EventBatch } from '../../src/model/event.js';

/** What the fake exporters received, by exporter id: for assertions. */
export class Deliveries {
  readonly batches = new Map<string, AnyBatch[]>();
  readonly lifecycle: string[] = [];
  /** Pending consumes of `slow` exporters; resolve them to let the exporter go on. */
  readonly pending: Array<() => void> = [];

  record(id: string, batch: AnyBatch): void {
    const list = this.batches.get(id) ?? [];
    list.push(batch);
    this.batches.set(id, list);
  }

  values(id: string): number[] {
    return (this.batches.get(id) ?? []).flatMap((batch) => (batch as MetricBatch).map((point) => point.value));
  }
}

/** A receiver that emits one point per interval, its value counting up from 1. */
export function tickerReceiver(deliveries: Deliveries) {
  return defineReceiver({
    type: 'ticker',
    description: 'test: one point per interval',
    schema: z.strictObject({
      interval: duration().prefault('1s'),
      service: z.string().default('svc'),
      fail_after: z.number().int().optional(),
    }),
    create(config, context): Observable<MetricBatch> {
      deliveries.lifecycle.push(`create ${context.id}`);
      const series = new SeriesSet(new Resource({ 'service.name': config.service })).get({
        name: 'test.tick',
        unit: '1',
        kind: 'gauge',
      });
      return timer(0, config.interval, context.scheduler).pipe(
        map((tick): MetricBatch => {
          if (config.fail_after !== undefined && tick >= config.fail_after) throw new Error('receiver broke');
          context.telemetry.accepted(1);
          return [{ series, value: tick + 1, time: context.scheduler.now() }];
        }),
      );
    },
  });
}

/** A processor that turns every point above `above` into a firing health event. */
export const alarmProcessor = defineProcessor({
  type: 'alarm',
  description: 'test: metrics → alerts',
  input: 'metrics',
  output: 'alerts',
  schema: z.strictObject({ above: z.number().default(0) }),
  create(config) {
    return map((batch: MetricBatch): EventBatch =>
      batch
        .filter((point) => point.value > config.above)
        .map((point) => ({
          fingerprint: `${point.series.resource.serviceName}:tick`,
          service: point.series.resource.serviceName,
          rule: 'tick',
          level: 'error',
          previousLevel: 'info',
          value: point.value,
          threshold: config.above,
          startsAt: point.time,
          state: 'firing',
          labels: {},
          time: point.time,
        })),
    );
  },
});

/** A processor with state: replaces each value by the running count of points seen. */
export const countProcessor = defineProcessor({
  type: 'count',
  description: 'test: running count of points',
  input: 'metrics',
  output: 'metrics',
  schema: z.strictObject({ offset: z.number().default(0) }),
  create(config) {
    return (source: Observable<MetricBatch>) =>
      new Observable<MetricBatch>((subscriber) => {
        let seen = 0;
        let last: MetricPoint | undefined;
        return source.subscribe({
          next(batch) {
            seen += batch.length;
            last = batch[batch.length - 1];
            if (last) subscriber.next([{ ...last, value: seen + config.offset }]);
          },
          error: (error: unknown) => subscriber.error(error),
          complete() {
            // A flush on complete, like a window processor's open windows.
            if (last) subscriber.next([{ ...last, value: -1 }]);
            subscriber.complete();
          },
        });
      });
  },
});

export function memoryExporter(deliveries: Deliveries) {
  return defineExporter({
    type: 'memory',
    description: 'test: keeps what it receives',
    signals: ['metrics', 'alerts'] as Signal[],
    schema: z.strictObject({
      slow: z.boolean().default(false),
      refuse: z.boolean().default(false),
      label: z.string().default(''),
    }),
    create(config, context) {
      deliveries.lifecycle.push(`create ${context.id}`);
      return {
        consume(batch: AnyBatch) {
          if (config.refuse) throw new Error('refused');
          deliveries.record(context.id, batch);
          if (!config.slow) return;
          return new Promise<void>((resolve) => deliveries.pending.push(resolve));
        },
        async flush() {
          deliveries.lifecycle.push(`flush ${context.id}`);
        },
        async shutdown() {
          deliveries.lifecycle.push(`shutdown ${context.id}`);
        },
      };
    },
  });
}

export function fakeRegistry(deliveries: Deliveries): ComponentRegistry {
  return new ComponentRegistry([tickerReceiver(deliveries), countProcessor, alarmProcessor, memoryExporter(deliveries)]);
}
