import { describe, expect, it, vi } from 'vitest';
import { POLL, lastReading, missingTicks, ownCount, perTest, requestSeries, timestampCounts } from './otlp-fixture.js';

/**
 * Issue 8, "What it must show" 1: the agent killed with SIGKILL while VictoriaMetrics is
 * down, then both started → with `disk_queue: true` the points it had queued arrive.
 */

const QUEUE_SIZE = 'healthpipe.exporter.queue_size';
/** 15 s of 200 ms ticks: most of them after VictoriaMetrics is halted, even on a slow start. */
const TICKS = 75;

const setup = perTest();

describe('the otlp exporter with disk_queue: true, killed while VictoriaMetrics is down', () => {
  it('delivers what it had queued once both are started again', { timeout: 240_000 }, async () => {
    const { vm, fixture } = await setup.withVictoriaMetrics();
    // TICKS ticks, then quiet: what the agent has sampled is known before it is killed.
    const agent = fixture.agent({
      counting: { interval: '200ms', resources: 2, ticks: TICKS },
      otlp: { endpoint: vm.otlpUrl, diskQueue: true },
    });
    await agent.start();
    const series = () => requestSeries(vm);
    await vi.waitFor(async () => expect((await series()).length).toBe(2), POLL);

    await vm.halt();
    const sampledBeforeHalt = fixture.ticks().length;
    await vi.waitFor(() => expect(fixture.ticks().length).toBe(TICKS), POLL);
    const sampled = fixture.ticks();
    // Sampled while it was down, so in the queue and nowhere else.
    expect(sampled.length - sampledBeforeHalt).toBeGreaterThanOrEqual(10);
    const last = sampled[sampled.length - 1]!.time;
    // A reading of the agent's own counters taken after the last tick, with nothing waiting
    // in front of the exporter: every point has been handed to it, and so is in its queue.
    await vi.waitFor(() => {
      expect(lastReading(agent, 'healthpipe.receiver.accepted_points')).toBeGreaterThan(last);
      expect(ownCount(agent, QUEUE_SIZE, { queue: 'metrics' })).toBe(0);
    }, POLL);

    expect(await agent.stop('SIGKILL')).toBe(null);
    await vm.start();
    await agent.start();

    await vi.waitFor(async () => {
      const bySeries = timestampCounts(await series());
      expect(bySeries.size).toBe(2);
      for (const counts of bySeries.values()) expect(missingTicks(sampled, counts)).toEqual([]);
    }, POLL);
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});
