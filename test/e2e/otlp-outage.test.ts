import { describe, expect, it, vi } from 'vitest';
import { POLL, missingTicks, perTest, requestSeries, timestampCounts, type Tick } from './otlp-fixture.js';

/**
 * Issue 8, "What it must show" 1: VictoriaMetrics stopped for a while (the exporter's sends
 * fail, several times) and started again on the same data → every point sampled meanwhile
 * arrives, none more than twice (at least once: only a send whose answer was lost repeats).
 */

/** Ticks of 200 ms sampled while VictoriaMetrics is down: ~6 s, several failed sends with the 5 s backoff cap. */
const TICKS_WHILE_DOWN = 30;

const setup = perTest();

describe('the otlp exporter across an outage of VictoriaMetrics', () => {
  for (const diskQueue of [false, true]) {
    it(`delivers every point sampled while it was down (disk_queue: ${diskQueue})`, { timeout: 240_000 }, async () => {
      const { vm, fixture } = await setup.withVictoriaMetrics();
      const agent = fixture.agent({ counting: { interval: '200ms', resources: 2 }, otlp: { endpoint: vm.otlpUrl, diskQueue } });
      await agent.start();
      const series = () => requestSeries(vm);
      await vi.waitFor(async () => expect((await series()).length).toBe(2), POLL);

      const before = fixture.ticks().length;
      await vm.restart(async () => {
        await vi.waitFor(() => expect(fixture.ticks().length).toBeGreaterThanOrEqual(before + TICKS_WHILE_DOWN), POLL);
      });
      const sampledWhileDown = fixture.ticks().slice(before);

      // What was sampled while it was down arrives once it is back, with the agent still running.
      await vi.waitFor(async () => {
        for (const counts of timestampCounts(await series()).values()) expect(missingTicks(sampledWhileDown, counts)).toEqual([]);
      }, POLL);

      // Stopped, the agent delivers the rest; then every tick it ever sampled is there (what
      // VictoriaMetrics took last may take a moment to show, even after a flush).
      expect(await agent.stop('SIGTERM')).toBe(0);
      const ticks = fixture.ticks();
      await vi.waitFor(async () => expectEveryTickOnce(ticks, timestampCounts(await series())), POLL);
    });
  }
});

/** Each series holds every tick's time; a time may repeat once (at least once), never more. */
function expectEveryTickOnce(ticks: readonly Tick[], bySeries: Map<string, Map<number, number>>): void {
  expect(bySeries.size).toBe(2);
  for (const [key, counts] of bySeries) {
    expect(missingTicks(ticks, counts), key).toEqual([]);
    expect(Math.max(...counts.values()), key).toBeLessThanOrEqual(2);
    expect(counts.size, key).toBe(ticks.length);
  }
}
