import { describe, expect, it } from 'vitest';
import { ExporterQueue } from '../../src/graph/exporter-queue.js';
import { CountingTelemetry } from '../../src/telemetry/counters.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import type { EventBatch } from '../../src/model/event.js';
import type { AnyBatch } from '../../src/model/signal.js';
import { event, points } from './batches.js';

function queueWith(consume: (batch: AnyBatch) => void | Promise<void>, max = 3) {
  const telemetry = new CountingTelemetry();
  const logs = new MemoryLogSink();
  const exporter = { consume, flush: async () => undefined, shutdown: async () => undefined };
  const queue = new ExporterQueue('x', exporter, telemetry, new JsonLogger({ level: 'debug', sink: logs, now: () => 0 }), max);
  return { queue, telemetry, logs };
}

describe('ExporterQueue', () => {
  it('hands batches straight to a synchronous exporter, leaving sent to the exporter to count', () => {
    const seen: AnyBatch[] = [];
    const { queue, telemetry } = queueWith((batch) => void seen.push(batch));
    queue.push(points(1, 2), 'metrics');
    queue.push(points(3), 'metrics');
    expect(seen).toHaveLength(2);
    // Only the exporter knows when a point really left (after its own retries).
    expect(telemetry.counts.sent).toBe(0);
    expect(queue.size).toBe(0);
  });

  it('holds what arrives while the exporter is replaced and gives it to the new one', async () => {
    const old: AnyBatch[] = [];
    const fresh: AnyBatch[] = [];
    let release: () => void = () => undefined;
    const { queue } = queueWith((batch) => {
      old.push(batch);
      return new Promise<void>((resolve) => (release = resolve));
    });
    queue.push(points(1), 'metrics');
    const swapped = queue.replace(
      () => ({
        consume: (batch: AnyBatch) => void fresh.push(batch),
        flush: async () => undefined,
        shutdown: async () => undefined,
      }),
      new Promise<void>(() => undefined),
    );
    queue.push(points(2), 'metrics');
    queue.push([event('a')] as EventBatch, 'alerts');
    expect(fresh).toHaveLength(0);
    release();
    await swapped;
    expect(old.map((batch) => batch.length)).toEqual([1]);
    expect(fresh.map((batch) => batch.map((item) => ('rule' in item ? item.rule : item.value)))).toEqual([[2], ['a']]);
  });

  it('drops the oldest metric points at its bound, counts them, and never drops alerts', async () => {
    const release: Array<() => void> = [];
    const seen: AnyBatch[] = [];
    const { queue, telemetry, logs } = queueWith((batch) => {
      seen.push(batch);
      return new Promise<void>((resolve) => release.push(resolve));
    });
    queue.push(points(1), 'metrics');
    queue.push(points(2, 3), 'metrics');
    queue.push([event('a')] as EventBatch, 'alerts');
    queue.push(points(4, 5), 'metrics');
    queue.push([event('b')] as EventBatch, 'alerts');
    expect(telemetry.counts.dropped).toBe(2);
    expect(telemetry.countOf('dropped', { reason: 'queue_full', signal: 'metrics' })).toBe(2);
    expect(queue.size).toBe(2);
    expect(logs.records().filter((record) => String(record.message).includes('queue is full'))).toHaveLength(1);

    while (release.length > 0) {
      release.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await queue.idle();
    const delivered = seen.map((batch) => batch.map((item) => ('rule' in item ? item.rule : item.value)));
    expect(delivered).toEqual([[1], ['a'], [4, 5], ['b']]);
  });

  it('counts a failed batch and goes on with the next', async () => {
    let calls = 0;
    const { queue, telemetry, logs } = queueWith(async () => {
      calls += 1;
      if (calls === 1) throw new Error('backend down');
    });
    queue.push(points(1, 2), 'metrics');
    queue.push(points(3), 'metrics');
    await queue.idle();
    expect(telemetry.counts.failed).toBe(2);
    expect(logs.records()[0]?.message).toBe('exporter refused a batch');
  });

  it('survives an exporter that throws synchronously', () => {
    const { queue, telemetry } = queueWith(() => {
      throw new Error('bug');
    });
    queue.push(points(1), 'metrics');
    queue.push(points(2), 'metrics');
    expect(telemetry.counts.failed).toBe(2);
  });
});
