import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { asyncScheduler, of, type Subscription } from 'rxjs';
import type { MetricBatch } from '../src/model/point.js';
import { phaseOf, scheduleTargets } from '../src/scheduling/index.js';
import { CountingTelemetry } from '../src/telemetry/counters.js';
import type { BenchModule, BenchRow, BenchSection } from './types.js';

const TARGETS = 1000;
const INTERVAL = 1000;
/** The first interval warms up (JIT, the first timers); the next five are measured. */
const WARM_UP = INTERVAL;
const MEASURED = 5 * INTERVAL;
const RUNS = 3;
const TITLE = `scheduling: ${TARGETS.toLocaleString('en-US')} targets at ${INTERVAL / 1000} s on the real clock`;
const TARGET = 'p99 start jitter < 50 ms (the HTTP-check row of DESIGN §6), CPU per scheduled check beside bare timers';

/** Wall-clock milliseconds with sub-millisecond resolution, on the scale of Date.now() (which plans are made on). */
const wallNow = (): number => performance.timeOrigin + performance.now();

interface Measurement {
  /** How late each start was against its plan, ms. */
  readonly lateness: number[];
  /** CPU time (user + system) per start, µs. */
  readonly cpuPerStart: number;
}

/**
 * Records the starts that fall into the measured window (after the warm-up) and the CPU
 * this process used in it. `start` arms the timers and returns what stops them.
 */
export async function measureStarts(start: (onStart: (planned: number) => void) => () => void): Promise<Measurement> {
  const lateness: number[] = [];
  let measuring = false;
  const stop = start((planned) => {
    if (measuring) lateness.push(wallNow() - planned);
  });
  await new Promise((resolve) => setTimeout(resolve, WARM_UP));
  measuring = true;
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, MEASURED));
  const used = process.cpuUsage(cpu);
  measuring = false;
  stop();
  return { lateness, cpuPerStart: (used.user + used.system) / Math.max(1, lateness.length) };
}

const keys = Array.from({ length: TARGETS }, (_, i) => `targets[${i}] api-${i} http://10.0.${i >> 8}.${i & 255}:8080/health`);
const NO_POINTS: MetricBatch = [];

/** scheduleTargets on asyncScheduler with a trivial asynchronous check (each gets its timeout timer and abort signal). */
export function scheduled(onStart: (planned: number) => void): () => void {
  const subscription: Subscription = of(keys.map((key) => ({ key })))
    .pipe(
      scheduleTargets({
        interval: INTERVAL,
        timeout: 500,
        scheduler: asyncScheduler,
        telemetry: new CountingTelemetry(),
        collect: (_target, { planned }) => {
          onStart(planned);
          return Promise.resolve(NO_POINTS);
        },
        onTimeout: () => NO_POINTS,
        onError: () => NO_POINTS,
      }),
    )
    .subscribe();
  return () => subscription.unsubscribe();
}

/**
 * The reference: one bare `setInterval` per target, started at the same phases. Node re-arms
 * an interval from when its callback ran, so its lateness against the plan grows tick by tick.
 */
function bareIntervals(onStart: (planned: number) => void): () => void {
  const handles: Array<NodeJS.Timeout> = [];
  const origin = Date.now();
  for (const key of keys) {
    const phase = phaseOf(key, INTERVAL);
    const first = origin + ((((phase - origin) % INTERVAL) + INTERVAL) % INTERVAL);
    let planned = first;
    handles.push(
      setTimeout(() => {
        onStart(planned);
        handles.push(
          setInterval(() => {
            planned += INTERVAL;
            onStart(planned);
          }, INTERVAL),
        );
      }, first - origin),
    );
  }
  return () => {
    for (const handle of handles) clearTimeout(handle);
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

export interface Figures {
  readonly p50: number[];
  readonly p99: number[];
  readonly max: number[];
  readonly cpu: number[];
  readonly starts: number[];
}

export function record(figures: Figures, measurement: Measurement): void {
  const sorted = [...measurement.lateness].sort((a, b) => a - b);
  figures.p50.push(percentile(sorted, 0.5));
  figures.p99.push(percentile(sorted, 0.99));
  figures.max.push(sorted.at(-1) ?? Number.NaN);
  figures.cpu.push(measurement.cpuPerStart);
  figures.starts.push(sorted.length);
}

function rows(name: string, role: BenchRow['role'], figures: Figures): BenchRow[] {
  const starts = `${Math.round(median(figures.starts))} starts in ${MEASURED / 1000} s`;
  return [
    { name: `${name}: p50 start lateness`, value: median(figures.p50), unit: 'ms', role },
    { name: `${name}: p99 start lateness`, value: median(figures.p99), unit: 'ms', role, note: `max ${median(figures.max).toFixed(1)} ms` },
    { name: `${name}: CPU per start`, value: median(figures.cpu), unit: 'µs CPU/check', role, note: starts },
  ];
}

/** The two take turns, three runs each, so a burst of load on the machine hits both alike; medians are reported. */
export const run: BenchModule = async (): Promise<BenchSection> => {
  const ours: Figures = { p50: [], p99: [], max: [], cpu: [], starts: [] };
  const reference: Figures = { p50: [], p99: [], max: [], cpu: [], starts: [] };
  for (let i = 0; i < RUNS; i++) {
    record(ours, await measureStarts(scheduled));
    record(reference, await measureStarts(bareIntervals));
  }
  return {
    title: TITLE,
    target: TARGET,
    rows: [
      ...rows('scheduleTargets (asyncScheduler, trivial async check)', 'measured', ours),
      ...rows(`${TARGETS.toLocaleString('en-US')} bare setInterval timers`, 'reference', reference),
    ],
  };
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run();
  process.stdout.write(`${JSON.stringify(section, null, 2)}\n`);
}
