import { afterEach, describe, expect, it } from 'vitest';
import { startChild, stopAllChildren, stopChild } from './children.js';
import { batches, batchesUntil, linux, receive } from './receive.js';

afterEach(() => stopAllChildren());

describe.runIf(linux)('process receiver failures (procfs, real processes)', () => {
  it('reports a PID that does not exist as not_found on every tick, logs it once and never errors', async () => {
    // Linux hands out PIDs below pid_max, which is at most 2^22: the largest PID the schema accepts never exists.
    const { batches$, context } = receive({ targets: [{ service: 'ghost', pid: 2 ** 22 }] });
    const received = await batches(batches$, 3);
    for (const batch of received) {
      expect(batch).toHaveLength(1);
      expect(batch[0]!.value).toBe(1);
      expect(batch[0]!.series).toMatchObject({ name: 'process.scrape.error', attributes: { 'error.type': 'not_found' } });
    }
    expect(context.telemetry.counts.refused).toBe(3);
    const warnings = context.logs.records().filter((record) => record.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ service: 'ghost', 'error.type': 'not_found' });
  });

  it('keeps going when a watched process exits: the error joins its resource', async () => {
    const pid = await startChild();
    const { batches$ } = receive({ targets: [{ service: 'worker', pid }] });
    const received = await batchesUntil(
      batches$,
      (all) => all.at(-1)!.some((point) => point.series.name === 'process.scrape.error'),
      (all) => {
        if (all.length === 1) void stopChild(pid);
      },
    );
    const error = received.at(-1)![0]!;
    expect(error.series.attributes).toEqual({ 'error.type': 'not_found' });
    expect(error.series.resource).toBe(received[0]![0]!.series.resource);
  });
});
