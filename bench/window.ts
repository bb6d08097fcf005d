import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Subject, VirtualAction, VirtualTimeScheduler, bufferTime, filter, map, mergeMap, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { Resource, SeriesSet, type Series } from '../src/model/series.js';
import type { MetricBatch, MetricPoint } from '../src/model/point.js';
import { DDSketch } from '@datadog/sketches-js';
import { DEFAULT_AGGREGATES } from '../processors/window/config.js';
import type { Aggregate } from '../processors/window/aggregates.js';
import { eventTimeWindow } from '../processors/window/event-time-window.js';
import type { BenchModule, BenchRow } from './types.js';
import { median } from './scheduling.js';

const SERIES = 10_000;
const SERIES_PER_RESOURCE = 10;
const BATCH = 1_000;
export const WINDOW = 60_000;
/** Windows aligned to the epoch, as in production; the clock starts at a window boundary. */
const START = Math.floor(1_700_000_000_000 / WINDOW) * WINDOW;

/** Virtual time that the bench moves forward itself, so closing windows costs CPU, not waiting. */
export class BenchClock extends VirtualTimeScheduler {
  constructor(start = START) {
    super(VirtualAction, 0);
    this.frame = start;
  }

  advanceTo(time: number): void {
    this.maxFrames = time;
    this.flush();
    this.frame = time;
  }
}

export interface TimedBatch {
  readonly time: number;
  readonly points: MetricBatch;
}

export function buildSeries(): Series[] {
  const series: Series[] = [];
  for (let r = 0; series.length < SERIES; r++) {
    const set = new SeriesSet(new Resource({ 'service.name': `svc-${r % 100}`, 'service.instance.id': `inst-${r}`, 'process.pid': 1000 + r }));
    for (let m = 0; m < SERIES_PER_RESOURCE; m++) series.push(set.get({ name: `metric.${m}`, unit: 's', kind: 'gauge' }, { slot: m }));
  }
  return series;
}

/** Every series gets one point per `interval`; a sweep over all series is split into batches spread over the interval. */
export function buildBatches(series: readonly Series[], interval: number, totalPoints: number): TimedBatch[] {
  const batchesPerSweep = series.length / BATCH;
  const batches: TimedBatch[] = [];
  let seed = 1;
  for (let sweep = 0; batches.length * BATCH < totalPoints; sweep++) {
    for (let b = 0; b < batchesPerSweep; b++) {
      const time = START + sweep * interval + Math.floor((b * interval) / batchesPerSweep);
      const points: MetricPoint[] = new Array(BATCH);
      for (let i = 0; i < BATCH; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        points[i] = { series: series[b * BATCH + i]!, value: seed / 2_147_483_648, time };
      }
      batches.push({ time, points });
    }
  }
  return batches;
}

/** An operator under test, made per run on the run's clock; its output is counted, whatever its signal. */
export type WindowFactory = (scheduler: SchedulerLike) => OperatorFunction<MetricBatch, readonly unknown[]>;

export const windowed = (scheduler: SchedulerLike): OperatorFunction<MetricBatch, MetricBatch> =>
  eventTimeWindow({ size: WINDOW, aggregates: DEFAULT_AGGREGATES, maxSeries: 100_000, scheduler });

/** The default figures and the four quantiles: what a latency rule over p95 is likely to ask for. */
const WITH_QUANTILES: readonly Aggregate[] = [...DEFAULT_AGGREGATES, 'p50', 'p90', 'p95', 'p99'];

/** A window of `size` ms every `every` ms with the given figures, on the bench's clock. */
export function windowOf(aggregates: readonly Aggregate[], every = WINDOW): WindowFactory {
  return (scheduler) => eventTimeWindow({ size: WINDOW, every, aggregates, maxSeries: 100_000, scheduler });
}

/**
 * The reference for quantiles: only DDSketch's own `accept` (1 % accuracy) of the same
 * points into one sketch per series, a new sketch per series and window, nothing else.
 */
function bareSketchPointsPerCpuSecond(series: readonly Series[], batches: readonly TimedBatch[]): number {
  const run = (): number => {
    const sketches = new Map<Series, DDSketch>();
    let windowEnd = -Infinity;
    const before = process.cpuUsage();
    for (const batch of batches) {
      if (batch.time >= windowEnd) {
        sketches.clear();
        windowEnd = Math.floor(batch.time / WINDOW) * WINDOW + WINDOW;
      }
      for (const point of batch.points) {
        let sketch = sketches.get(point.series);
        if (sketch === undefined) sketches.set(point.series, (sketch = new DDSketch({ relativeAccuracy: 0.01 })));
        sketch.accept(point.value);
      }
    }
    const used = process.cpuUsage(before);
    if (sketches.size > series.length) throw new Error('bench: more sketches than series');
    return (batches.length * BATCH) / ((used.user + used.system) / 1e6);
  };
  run();
  return median([0, 1, 2].map(run));
}

/**
 * The reference: how windowing is often first written with RxJS — one emission per point,
 * every point of the window buffered, and a series key built from its labels per point.
 */
const naive: WindowFactory = (scheduler) => (source) =>
  source.pipe(
    mergeMap((batch) => batch),
    bufferTime(WINDOW, scheduler),
    filter((points) => points.length > 0),
    map((points) => {
      const groups = new Map<string, MetricPoint[]>();
      for (const point of points) {
        const key = `${point.series.name}${JSON.stringify(point.series.attributes)}${point.series.resource.key}`;
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [point]);
        else group.push(point);
      }
      const out: MetricPoint[] = [];
      for (const group of groups.values()) {
        const values = group.map((point) => point.value);
        const sum = values.reduce((a, b) => a + b, 0);
        const figures = { mean: sum / values.length, min: Math.min(...values), max: Math.max(...values), last: values[values.length - 1]!, count: values.length };
        const series = group[0]!.series;
        for (const name of DEFAULT_AGGREGATES) out.push({ series: series.with('aggregate', name, 'gauge'), value: figures[name], time: group[0]!.time });
      }
      return out;
    }),
  );

/**
 * Feeds timed batches through an operator, moving the bench clock to each batch's time
 * first and, after the last, `settle` ms further so every timer (closing windows, expiries)
 * runs: the CPU seconds (user + system) that took, and how many items came out.
 */
export function feedOnClock<B extends { readonly time: number }, In, Out extends readonly unknown[]>(
  clock: BenchClock,
  operator: OperatorFunction<In, Out>,
  batches: readonly B[],
  itemsOf: (batch: B) => In,
  settle: number,
): { cpuSeconds: number; emitted: number } {
  const input = new Subject<In>();
  let emitted = 0;
  const subscription = input.pipe(operator).subscribe((batch) => (emitted += batch.length));
  const before = process.cpuUsage();
  for (const batch of batches) {
    clock.advanceTo(batch.time);
    input.next(itemsOf(batch));
  }
  clock.advanceTo(batches[batches.length - 1]!.time + settle);
  const used = process.cpuUsage(before);
  subscription.unsubscribe();
  return { cpuSeconds: (used.user + used.system) / 1e6, emitted };
}

/** Points per CPU-second (user + system) of feeding `batches` and closing every window. */
function pointsPerCpuSecond(factory: WindowFactory, batches: readonly TimedBatch[]): number {
  const clock = new BenchClock();
  const { cpuSeconds, emitted } = feedOnClock(clock, factory(clock), batches, (batch) => batch.points, 2 * WINDOW);
  if (emitted === 0) throw new Error('bench: the window emitted nothing');
  return (batches.length * BATCH) / cpuSeconds;
}

/** After one full run for the JIT, the median of three: the operator runs for days, warm. */
export function medianOf3(factory: WindowFactory, batches: readonly TimedBatch[]): number {
  pointsPerCpuSecond(factory, batches);
  return median([0, 1, 2].map(() => pointsPerCpuSecond(factory, batches)));
}

/** `gc` without requiring node to be started with --expose-gc. */
function collectGarbage(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapUsed(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap per live series at 10,000 series of the operator's state plus its output series (the
 * `aggregate=…` series each input series gains once): fresh series, fed until one window has
 * closed (output series made) and the next holds points.
 */
export function bytesPerLiveSeries(factory: WindowFactory, interval: number): number {
  const gc = collectGarbage();
  const series = buildSeries();
  const feed = buildBatches(series, interval, 100_000).filter((batch) => batch.time < START + WINDOW + WINDOW / 2);
  const clock = new BenchClock();
  const input = new Subject<MetricBatch>();
  const before = heapUsed(gc);
  const subscription = input.pipe(factory(clock)).subscribe();
  for (const batch of feed) {
    clock.advanceTo(batch.time);
    input.next(batch.points);
  }
  const after = heapUsed(gc);
  subscription.unsubscribe();
  return (after - before) / series.length;
}

export const run: BenchModule = async () => {
  const series = buildSeries();
  // Batches are built per case and dropped after it, so one case's garbage does not weigh on the next.
  const checks = (points: number): TimedBatch[] => buildBatches(series, 15_000, points);
  const rows: BenchRow[] = [
    {
      name: 'window operator, a point every 15 s per series (4 per window)',
      value: medianOf3(windowed, checks(800_000)),
      unit: 'points per CPU-second',
      role: 'measured',
      note: '10,000 series, 1,000 points per batch, 60 s windows, mean/min/max/last/count; closing and output (5 points per series and window) included',
    },
    {
      name: 'window operator, a point every 1 s per series (60 per window)',
      value: medianOf3(windowed, buildBatches(series, 1_000, 1_200_000)),
      unit: 'points per CPU-second',
      role: 'measured',
      note: 'the same with the per-point path dominating',
    },
    {
      name: 'naive RxJS window, a point every 15 s per series',
      value: medianOf3(naive, checks(400_000)),
      unit: 'points per CPU-second',
      role: 'reference',
      note: 'one emission per point, bufferTime, Map keyed by a string built per point',
    },
    {
      name: 'window with p50/p90/p95/p99, a point every 15 s per series (4 per window)',
      value: medianOf3(windowOf(WITH_QUANTILES), checks(800_000)),
      unit: 'points per CPU-second',
      role: 'measured',
      note: '10,000 series, 60 s tumbling windows, mean/min/max/last/count + 4 quantiles through one DDSketch (1 %) per series and window; 9 points out per series and window',
    },
    {
      name: 'window with p50/p90/p95/p99, a point every 1 s per series (60 per window)',
      value: medianOf3(windowOf(WITH_QUANTILES), buildBatches(series, 1_000, 1_200_000)),
      unit: 'points per CPU-second',
      role: 'measured',
      note: 'the same with the per-point path (a DDSketch accept per point) dominating',
    },
    {
      name: 'DDSketch accept alone, a point every 15 s per series',
      value: bareSketchPointsPerCpuSecond(series, checks(800_000)),
      unit: 'points per CPU-second',
      role: 'reference',
      note: '@datadog/sketches-js 2.1.1 at 1 %: a Map lookup and accept per point, a new sketch per series and window; no quantile read, no output',
    },
    {
      name: 'sliding window 60 s every 15 s, a point every 15 s per series',
      value: medianOf3(windowOf(DEFAULT_AGGREGATES, WINDOW / 4), checks(800_000)),
      unit: 'points per CPU-second',
      role: 'measured',
      note: '4 panes per window, each point added to its pane once; a window closes (5 figures per series) every 15 s, its panes merged',
    },
    {
      name: 'sliding window 60 s every 15 s with p50/p90/p95/p99, a point every 15 s per series',
      value: medianOf3(windowOf(WITH_QUANTILES, WINDOW / 4), checks(800_000)),
      unit: 'points per CPU-second',
      role: 'measured',
      note: 'the same, 4 pane sketches merged per series at every close: the worst case, one close per point',
    },
    {
      name: 'window state + output series per live series',
      value: bytesPerLiveSeries(windowed, 15_000),
      unit: 'bytes',
      role: 'measured',
      note: 'heap delta / 10,000 series, 60 s tumbling, mean/min/max/last/count: state, key and the 5 `aggregate=…` series; target ≤ 1 KiB',
    },
    {
      name: 'window state + output series per live series, with quantiles',
      value: bytesPerLiveSeries(windowOf(WITH_QUANTILES), 15_000),
      unit: 'bytes',
      role: 'measured',
      note: 'the same with p50/p90/p95/p99: a DDSketch per series and pane, 9 output series; target ≤ 16 KiB',
    },
    {
      name: 'sliding window state + output series per live series, with quantiles',
      value: bytesPerLiveSeries(windowOf(WITH_QUANTILES, WINDOW / 4), 15_000),
      unit: 'bytes',
      role: 'measured',
      note: '60 s every 15 s: up to 5 panes, each with its sketch, per series; target ≤ 16 KiB',
    },
  ];
  return {
    title: 'window processor',
    target: '≥ 1,000,000 points per CPU-second at 10,000 series, quantiles on (vmagent ≈ 217,000 with 3 quantiles); ≤ 1 KiB per live series without sketches, ≤ 16 KiB with',
    rows,
  };
};
