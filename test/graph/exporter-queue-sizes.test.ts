import { describe, expect, it } from 'vitest';
import { ExporterQueue } from '../../src/graph/exporter-queue.js';
import type { Exporter } from '../../src/component/types.js';
import { CountingTelemetry } from '../../src/telemetry/counters.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import type { EventBatch } from '../../src/model/event.js';
import { event, points } from './batches.js';
import type { AnyBatch } from '../../src/model/signal.js';

const events = (...rules: string[]): EventBatch => rules.map(event);

/** An exporter that holds every batch until released; `seen` keeps what it was handed. */
function holdingExporter(lifecycle: string[] = []) {
  const seen: AnyBatch[] = [];
  const release: Array<() => void> = [];
  const exporter: Exporter = {
    consume: (batch: AnyBatch) => {
      seen.push(batch);
      return new Promise<void>((resolve) => release.push(resolve));
    },
    flush: async () => void lifecycle.push('flush'),
    shutdown: async () => void lifecycle.push('shutdown'),
  };
  return { exporter, seen, release };
}

function queueOf(exporter: Exporter | undefined, max = 100) {
  const telemetry = new CountingTelemetry();
  const logs = new MemoryLogSink();
  const queue = new ExporterQueue('x', exporter, telemetry, new JsonLogger({ level: 'debug', sink: logs, now: () => 0 }), max);
  return { queue, telemetry, logs };
}

const never = new Promise<void>(() => undefined);

describe('ExporterQueue sizes', () => {
  it('reports what waits per signal, each in its own series', () => {
    const { exporter } = holdingExporter();
    const { queue, telemetry } = queueOf(exporter);
    queue.push(points(1), 'metrics');
    queue.push(points(2, 3), 'metrics');
    queue.push(events('a', 'b'), 'alerts');
    queue.push(points(4), 'metrics');
    // The first batch is with the exporter; the rest wait.
    expect(telemetry.queueSizes.get('metrics')).toBe(3);
    expect(telemetry.queueSizes.get('alerts')).toBe(2);
  });

  it('applies a smaller bound at once, dropping the oldest points and keeping alerts', () => {
    const { exporter } = holdingExporter();
    const { queue, telemetry } = queueOf(exporter, 10);
    queue.push(points(1), 'metrics');
    queue.push(points(2, 3), 'metrics');
    queue.push(events('a'), 'alerts');
    queue.push(points(4, 5), 'metrics');
    queue.resize(2);
    expect(telemetry.counts.dropped).toBe(2);
    expect(queue.size).toBe(2);
    expect(telemetry.queueSizes.get('alerts')).toBe(1);
  });
});

describe('ExporterQueue replacement', () => {
  it('abandons an exporter that hangs once giveUp settles, and the new one takes what waited, in order', async () => {
    const lifecycle: string[] = [];
    const hung = holdingExporter(lifecycle);
    const { queue } = queueOf(hung.exporter);
    queue.push(points(1), 'metrics');
    let giveUp: () => void = () => undefined;
    const fresh = holdingExporter();
    const swapped = queue.replace(() => fresh.exporter, new Promise<void>((resolve) => (giveUp = resolve)));
    queue.push(points(2), 'metrics');
    queue.push(events('a'), 'alerts');
    giveUp();
    await swapped;
    // Asked to shut down, unawaited: it may hold what the new one needs.
    expect(lifecycle).toEqual(['shutdown']);
    expect(fresh.seen).toEqual([points(2)]);
    fresh.release.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fresh.seen).toEqual([points(2), events('a')]);
    // The hung exporter wakes up late: its loop is gone and hands nothing on, and it is not shut down twice.
    hung.release.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(hung.seen).toEqual([points(1)]);
    expect(lifecycle).toEqual(['shutdown']);
    expect(fresh.seen).toHaveLength(2);
  });

  it('holds what comes without an exporter, and counts it when closed without one', async () => {
    const { queue, telemetry, logs } = queueOf(holdingExporter().exporter);
    await queue.replace(() => undefined, never);
    // The old exporter holds nothing: replaced at once, by none.
    queue.push(points(1, 2), 'metrics');
    queue.push(events('a'), 'alerts');
    expect(queue.size).toBe(2);
    await queue.close();
    expect(telemetry.counts.dropped).toBe(2);
    expect(telemetry.counts.failed).toBe(1);
    expect(logs.records().map((record) => record.message)).toContain('no exporter could be made: what waited for it is lost');
  });
});
