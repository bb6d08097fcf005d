import { describe, expect, it } from 'vitest';
import { ExporterQueue } from '../../src/graph/exporter-queue.js';
import { CountingTelemetry } from '../../src/telemetry/counters.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import type { Exporter } from '../../src/component/types.js';
import type { EventBatch } from '../../src/model/event.js';
import type { AnyBatch } from '../../src/model/signal.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';
import { advance } from '../delivery/destination.js';
import { event, points } from './batches.js';

const alerts = (...rules: string[]): EventBatch => rules.map(event);
const names = (batches: AnyBatch[]) => batches.map((batch) => batch.map((item) => ('rule' in item ? item.rule : item.value)));

function exporterOf(consume: (batch: AnyBatch) => void | Promise<void>): Exporter {
  return { consume, flush: async () => undefined, shutdown: async () => undefined };
}

function queueWith(consume: (batch: AnyBatch) => void | Promise<void>, max = 3) {
  const scheduler = new SteppingScheduler();
  const telemetry = new CountingTelemetry();
  const logs = new MemoryLogSink();
  const logger = new JsonLogger({ level: 'debug', sink: logs, now: () => scheduler.now() });
  const queue = new ExporterQueue('alertmanager', exporterOf(consume), telemetry, logger, max, scheduler);
  return { queue, telemetry, logs, scheduler };
}

describe('ExporterQueue: alerts', () => {
  it('hands an alert batch the exporter threw on again with backoff, once, in order with later batches', async () => {
    const taken: AnyBatch[] = [];
    const tries: number[] = [];
    let calls = 0;
    const { queue, telemetry, logs, scheduler } = queueWith((batch) => {
      calls += 1;
      if ('rule' in batch[0]! && batch[0].rule === 'a') {
        tries.push(scheduler.now());
        if (tries.length <= 2) throw new Error('disk full');
      }
      taken.push(batch);
    });
    queue.push(alerts('a'), 'alerts');
    queue.push(alerts('b'), 'alerts');
    queue.push(points(1), 'metrics');
    expect(taken).toEqual([]);
    let idle = false;
    void queue.idle().then(() => (idle = true));
    await advance(scheduler, 2000, 10);
    expect(names(taken)).toEqual([['a'], ['b'], [1]]);
    expect(calls).toBe(5);
    expect(tries).toHaveLength(3);
    // About 100 ms, then about 150 ms (±50 %), on the injected scheduler.
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(50);
    expect(tries[1]! - tries[0]!).toBeLessThanOrEqual(160);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(70);
    expect(tries[2]! - tries[1]!).toBeLessThanOrEqual(235);
    expect(idle).toBe(true);
    // Not a failure: nothing was lost.
    expect(telemetry.counts.failed).toBe(0);
    expect(telemetry.counts.dropped).toBe(0);
    expect(logs.records().filter((record) => record.level === 'warn')).toHaveLength(1);
  });

  it('keeps retrying an exporter that keeps refusing alerts, and idle waits for them', async () => {
    let calls = 0;
    const { queue, scheduler } = queueWith(async () => {
      calls += 1;
      throw new Error('bug');
    });
    queue.push(alerts('a'), 'alerts');
    let idle = false;
    void queue.idle().then(() => (idle = true));
    await advance(scheduler, 60_000, 100);
    // 100 ms growing by 1.5 up to 5 s: about 20 tries in a minute, none given up.
    expect(calls).toBeGreaterThan(12);
    expect(idle).toBe(false);
  });

  it('gives a held alert batch to a replacement exporter at once', async () => {
    const { queue, scheduler } = queueWith(() => {
      throw new Error('broken config');
    });
    queue.push(alerts('a'), 'alerts');
    const fresh: AnyBatch[] = [];
    await queue.replace(() => exporterOf((batch) => void fresh.push(batch)), new Promise<void>(() => undefined));
    await advance(scheduler, 0);
    expect(names(fresh)).toEqual([['a']]);
  });

  it('never drops alerts at the bound: metrics are shed, alerts are kept and the excess is logged', async () => {
    let down = true;
    const taken: AnyBatch[] = [];
    const { queue, telemetry, logs, scheduler } = queueWith((batch) => {
      if (down) throw new Error('down');
      taken.push(batch);
    }, 2);
    for (const rule of ['a', 'b', 'c', 'd']) queue.push(alerts(rule), 'alerts');
    queue.push(points(1, 2, 3), 'metrics');
    expect(telemetry.counts.dropped).toBe(3);
    expect(logs.records().some((record) => String(record.message).includes('more alerts than its bound'))).toBe(true);
    down = false;
    await advance(scheduler, 500, 10);
    expect(names(taken)).toEqual([['a'], ['b'], ['c'], ['d']]);
  });
});

describe('ExporterQueue: abandoned at the stop deadline', () => {
  it('stops retrying a held alert batch, so no timer outlives the stop', async () => {
    let calls = 0;
    const { queue, scheduler } = queueWith(() => {
      calls += 1;
      throw new Error('disk full');
    });
    queue.push(alerts('a'), 'alerts');
    void queue.close();
    await advance(scheduler, 1000, 10);
    const before = calls;
    expect(before).toBeGreaterThan(1);
    queue.abandon();
    await advance(scheduler, 60_000, 10);
    expect(calls).toBe(before);
  });
});

describe('ExporterQueue: refused metric batches', () => {
  it('logs one line a minute for an exporter that refuses every batch, and counts every point', async () => {
    const { queue, telemetry, logs, scheduler } = queueWith(() => {
      throw new Error('backend down');
    }, 1000);
    for (let batch = 0; batch < 5; batch += 1) queue.push(points(batch), 'metrics');
    await advance(scheduler, 60_000, 10);
    queue.push(points(5, 6), 'metrics');
    await advance(scheduler, 0);
    const lines = logs.records().filter((record) => record.message === 'exporter refused a batch');
    // Before: a line per batch, six of them.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ refused_batches_not_logged: 4, points: 2 });
    expect(telemetry.counts.failed).toBe(7);
  });
});
