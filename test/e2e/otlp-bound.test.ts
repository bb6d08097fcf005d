import { describe, expect, it, vi } from 'vitest';
import type { ExportedSeries, RunningVictoriaMetrics } from '../helpers/victoria-metrics.js';
import { POLL, missingTicks, ownCount, perTest, requestSeries, rssOf, timestampCounts, type Tick } from './otlp-fixture.js';

/**
 * Issue 8, "What it must show" 1: a bound reached (VictoriaMetrics down, points coming fast)
 * → the oldest points are dropped and counted (`healthpipe.exporter.dropped{reason=queue_full}`),
 * the agent's memory stays flat, and once it is back every point is either delivered or
 * counted as dropped.
 */

/** 100 resources × (9 request series + 1 gauge): 1,000 points a tick; every 50 ms, 20,000 a second. */
const RESOURCES = 100;
const SERIES = 9;
const POINTS_PER_TICK = RESOURCES * (SERIES + 1);
/** The queue keeps 20 ticks' worth. */
const MAX_QUEUE_POINTS = 20 * POINTS_PER_TICK;
/** Ticks sampled while it is down: 400 ticks, 400,000 points, 20 times the bound. */
const TICKS_WHILE_DOWN = 400;
/**
 * How much the agent's resident memory may grow once the queue is full. Generous (a loaded
 * machine, V8's heap sizing itself): an unbounded queue of the outage's 400,000 points would
 * hold well over this.
 */
const RSS_GROWTH_LIMIT = 48 * 1024 * 1024;

const setup = perTest();

describe('the otlp exporter at its queue bound', () => {
  it('drops the oldest points, counts them, keeps its memory flat, and delivers the rest', { timeout: 300_000 }, async () => {
    const { vm, fixture } = await setup.withVictoriaMetrics();
    const agent = fixture.agent({
      counting: { interval: '50ms', resources: RESOURCES, series: SERIES },
      otlp: { endpoint: vm.otlpUrl, maxQueuePoints: MAX_QUEUE_POINTS },
    });
    await agent.start();
    const pid = agent.cli.child.pid!;
    const oneSeries = () => requestSeries(vm, 'service_name="checkout-0",http_route="/r0"');
    await vi.waitFor(async () => expect((await oneSeries()).length).toBe(1), POLL);

    const before = fixture.ticks().length;
    const rss: number[] = [];
    await vm.restart(async () => {
      await vi.waitFor(() => {
        rss.push(rssOf(pid));
        expect(fixture.ticks().length).toBeGreaterThanOrEqual(before + TICKS_WHILE_DOWN);
      }, { timeout: 240_000, interval: 250 });
      // Dropping began while it was down, and was counted.
      await vi.waitFor(() => expect(ownCount(agent, 'healthpipe.exporter.dropped', { reason: 'queue_full' })).toBeGreaterThan(0), POLL);
    });
    const whileDown = fixture.ticks().slice(before);

    // Memory: from the time the queue was full (a quarter into the outage) on, flat.
    const full = rss.slice(Math.floor(rss.length / 4), Math.floor(rss.length / 2));
    const later = rss.slice(Math.floor(rss.length / 2));
    expect(Math.max(...later) - Math.max(...full)).toBeLessThan(RSS_GROWTH_LIMIT);

    // The newest of the outage arrive; the oldest were dropped.
    const lastOfOutage = whileDown[whileDown.length - 1]!;
    await vi.waitFor(async () => expect(missingTicks([lastOfOutage], onlyCounts(await oneSeries()))).toEqual([]), POLL);
    expect(missingTicks([whileDown[0]!], onlyCounts(await oneSeries()))).toEqual([whileDown[0]]);

    // Quiet, the agent delivers or drops all it holds; then every point sampled is in
    // VictoriaMetrics or counted as dropped: none lost uncounted.
    fixture.quiet();
    const sent = () => ownCount(agent, 'healthpipe.exporter.sent');
    const dropped = () => ownCount(agent, 'healthpipe.exporter.dropped');
    await vi.waitFor(() => expect(sent() + dropped()).toBe(fixture.ticks().length * POINTS_PER_TICK), POLL);
    const ticks = fixture.ticks();
    await vi.waitFor(async () => expect(await deliveredSamples(vm, ticks)).toBe(ticks.length * POINTS_PER_TICK - dropped()), POLL);
    expect(dropped()).toBe(ownCount(agent, 'healthpipe.exporter.dropped', { reason: 'queue_full' }));
    expect(await agent.stop('SIGTERM')).toBe(0);
    // All but the bound (and a few sends under way) of what was sampled while it was down.
    expect(dropped()).toBeGreaterThanOrEqual((whileDown.length - 25) * POINTS_PER_TICK - MAX_QUEUE_POINTS);
  });
});

function onlyCounts(series: readonly ExportedSeries[]): Map<number, number> | undefined {
  return [...timestampCounts(series).values()][0];
}

/** Distinct (series, time) samples of the ticks' times in VictoriaMetrics: a repeat of at-least-once counts once. */
async function deliveredSamples(vm: RunningVictoriaMetrics, ticks: readonly Tick[]): Promise<number> {
  const times = new Set(ticks.map((tick) => tick.time));
  let count = 0;
  for (const counts of timestampCounts(await vm.exportSeries('{__name__=~"test_.*"}')).values()) {
    for (const time of counts.keys()) if (times.has(time)) count += 1;
  }
  return count;
}
