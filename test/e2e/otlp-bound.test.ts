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
/** The queue keeps 20 ticks' worth: each tick is one queued request. */
const TICKS_KEPT = 20;
const MAX_QUEUE_POINTS = TICKS_KEPT * POINTS_PER_TICK;
/** Ticks sampled while it is down: 400 ticks, 400,000 points, 20 times the bound. */
const TICKS_WHILE_DOWN = 400;
/** A 300-character attribute on the request series: ~0.4 KiB a point queued, ~170 MiB for the outage unbounded. */
const PADDING = 300;
/**
 * How much the floor of the agent's resident memory may rise from the second quarter of the
 * outage to the last, with the queue full. Generous (a loaded machine, V8 sizing its heap);
 * an unbounded queue would hold ~40 MiB more every quarter.
 */
const RSS_GROWTH_LIMIT = 40 * 1024 * 1024;

const setup = perTest();

describe('the otlp exporter at its queue bound', () => {
  it('drops the oldest points, counts them, keeps its memory flat, and delivers the rest', { timeout: 400_000 }, async () => {
    const { vm, fixture } = await setup.withVictoriaMetrics();
    const agent = fixture.agent({
      counting: { interval: '50ms', resources: RESOURCES, series: SERIES, padding: PADDING },
      otlp: { endpoint: vm.otlpUrl, maxQueuePoints: MAX_QUEUE_POINTS },
    });
    await agent.start();
    const pid = agent.cli.child.pid!;
    const oneSeries = () => requestSeries(vm, 'service_name="checkout-0",http_route="/r0"');
    await vi.waitFor(async () => expect((await oneSeries()).length).toBe(1), POLL);

    await vm.halt();
    const before = fixture.ticks().length;
    const rss: number[] = [];
    await vi.waitFor(() => {
      rss.push(rssOf(pid));
      expect(fixture.ticks().length).toBeGreaterThanOrEqual(before + TICKS_WHILE_DOWN);
    }, { timeout: 300_000, interval: 250 });
    // Quiet before it is back, so what the queue holds then is what arrives.
    fixture.quiet();
    await vi.waitFor(() => expect(fixture.ticks().at(-1)!.time).toBeLessThan(Date.now() - 1_000), POLL);
    const whileDown = fixture.ticks().slice(before);

    // Memory: flat over the second half of the outage, with the queue full. V8's collections
    // make a sawtooth (tens of MiB here) of a sawtooth; its floor is what a queue would raise.
    const quarter = Math.floor(rss.length / 4);
    const floorOf = (samples: number[]) => Math.min(...samples);
    const growth = floorOf(rss.slice(3 * quarter)) - floorOf(rss.slice(quarter, 2 * quarter));
    expect(growth, `resident MiB every 2 s: ${mebibytes(rss.filter((_, i) => i % 8 === 0))}`).toBeLessThan(RSS_GROWTH_LIMIT);

    // Dropping began while it was down, and was counted.
    await vi.waitFor(() => expect(ownCount(agent, 'healthpipe.exporter.dropped', { reason: 'queue_full' })).toBeGreaterThan(0), POLL);

    await vm.start();
    // Delivered or dropped: every point sampled, once the queue has drained.
    const sent = () => ownCount(agent, 'healthpipe.exporter.sent');
    const dropped = () => ownCount(agent, 'healthpipe.exporter.dropped');
    const ticks = fixture.ticks();
    await vi.waitFor(() => expect(sent() + dropped()).toBe(ticks.length * POINTS_PER_TICK), POLL);
    expect(dropped()).toBe(ownCount(agent, 'healthpipe.exporter.dropped', { reason: 'queue_full' }));
    await vi.waitFor(async () => expect(await deliveredSamples(vm, ticks)).toBe(ticks.length * POINTS_PER_TICK - dropped()), POLL);

    // The newest of the outage arrived, the oldest were dropped: a run of ticks that ends
    // with the outage's last, and before it at most one older run, the request that was
    // being sent when the bound last dropped (the queue never drops what is under way; it
    // drops the oldest of the rest, src/delivery/store-bound.ts). Together the bound's worth.
    const counts = onlyCounts(await oneSeries());
    const arrived = whileDown.filter((tick) => missingTicks([tick], counts).length === 0).map((tick) => tick.tick);
    const shown = `ticks ${whileDown[0]!.tick}…${whileDown.at(-1)!.tick} sampled while down; arrived: ${arrived.join(' ')}`;
    const runs = contiguousRuns(arrived);
    expect(runs.at(-1)?.at(-1), shown).toBe(whileDown.at(-1)!.tick);
    expect(runs.length, shown).toBeLessThanOrEqual(2);
    expect(arrived.length, shown).toBeLessThanOrEqual(TICKS_KEPT + 1);
    expect(arrived.length, shown).toBeGreaterThanOrEqual(TICKS_KEPT - 1);
    expect(missingTicks([whileDown[0]!], counts)).toEqual([whileDown[0]]);
    expect(dropped()).toBeGreaterThanOrEqual((whileDown.length - TICKS_KEPT - 1) * POINTS_PER_TICK);
    expect(await agent.stop('SIGTERM')).toBe(0);
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

function mebibytes(bytes: readonly number[]): string {
  return bytes.map((value) => Math.round(value / 1024 / 1024)).join(' ');
}

/** Ascending numbers cut into runs of consecutive ones. */
function contiguousRuns(numbers: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const number of numbers) {
    const run = runs.at(-1);
    if (run !== undefined && run.at(-1) === number - 1) run.push(number);
    else runs.push([number]);
  }
  return runs;
}
