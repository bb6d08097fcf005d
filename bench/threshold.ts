import { tap } from 'rxjs';
import { thresholdConfigSchema } from '../processors/threshold/config.js';
import { threshold } from '../processors/threshold/threshold.js';
import { openStore, type Store } from '../src/storage/index.js';
import type { BenchModule } from './types.js';
import { buildBatches, buildSeries, medianOf3, windowed, type TimedBatch, type WindowFactory } from './window.js';

const METRICS = 10;

/**
 * One rule per metric of the bench's series (`metric.0` … `metric.9`), over the window's
 * mean. The values are uniform in 0..1, so a window mean of 4 points is past 0.85 in about
 * 0.5 % of windows and past 0.8 in about 2 %: fleets where a few series change level, each
 * change an event. With warning at 0.5 about half of all windows change level: the worst
 * case (flap detection then holds some of the events).
 */
function chain(warning: number, stores?: Store[]): WindowFactory {
  const config = thresholdConfigSchema.parse({
    rules: Array.from({ length: METRICS }, (_, m) => ({
      name: `rule_${m}`,
      metric: `metric.${m}`,
      above: { warning, error: 0.9, critical: 0.95 },
    })),
  });
  return (scheduler) => {
    // A fresh in-memory store per run, as a fresh state: the levels written with each event's batch.
    const store = stores === undefined ? undefined : openStore(':memory:');
    if (store !== undefined) stores!.push(store);
    const storage = store?.component('threshold');
    return (source) => source.pipe(windowed(scheduler), threshold(config, { scheduler, ...(storage === undefined ? {} : { storage }) }));
  };
}

/**
 * Events per CPU-second of a chain, from its points per CPU-second and the events it emits
 * per point: `medianOf3` runs the chain four times (one warm-up) over the same batches.
 */
function eventsPerCpuSecond(factory: WindowFactory, batches: readonly TimedBatch[]): { points: number; events: number } {
  let events = 0;
  const counted: WindowFactory = (scheduler) => (source) =>
    source.pipe(
      factory(scheduler),
      tap((batch) => (events += batch.length)),
    );
  const points = medianOf3(counted, batches);
  const input = 4 * batches.reduce((sum, batch) => sum + batch.points.length, 0);
  return { points, events: (points * events) / input };
}

export const run: BenchModule = async () => {
  const series = buildSeries();
  const checks = () => buildBatches(series, 15_000, 800_000);
  const churning = eventsPerCpuSecond(chain(0.5), checks());
  const stores: Store[] = [];
  const stored = eventsPerCpuSecond(chain(0.5, stores), checks());
  for (const store of stores) store.close();
  const note = '10,000 series, a point every 15 s per series (4 per 60 s window), 1,000 points per batch; points counted at the window\'s input';
  return {
    title: 'processor chain window → threshold',
    target: 'window → threshold → cooldown ≥ 1,000,000 points per CPU-second at 10,000 series (vmagent ≈ 217,000); cooldown joins the chain later',
    rows: [
      {
        name: 'window → threshold, quiet (about 0.5 % of windows change level)',
        value: medianOf3(chain(0.85), checks()),
        unit: 'points per CPU-second',
        role: 'measured',
        note: `${note}; 10 rules, one per metric, on the mean of 5 aggregates; state made afresh each run`,
      },
      {
        name: 'window → threshold, busy (about 2 % of windows change level)',
        value: medianOf3(chain(0.8), checks()),
        unit: 'points per CPU-second',
        role: 'measured',
        note: 'the same with four times the events',
      },
      {
        name: 'window → threshold, churning (about half of all windows change level)',
        value: churning.points,
        unit: 'points per CPU-second',
        role: 'measured',
        note: 'an event for most changes: the worst case',
      },
      {
        name: 'window → threshold, churning: events',
        value: churning.events,
        unit: 'events per CPU-second',
        role: 'measured',
        note: 'the same run, counted at threshold\'s output',
      },
      {
        name: 'window → threshold with its store, churning',
        value: stored.points,
        unit: 'points per CPU-second',
        role: 'measured',
        note: 'levels kept across restarts: each event\'s level written with its batch in one transaction (in-memory SQLite)',
      },
      {
        name: 'window → threshold with its store, churning: events',
        value: stored.events,
        unit: 'events per CPU-second',
        role: 'measured',
        note: 'the same run, counted at threshold\'s output',
      },
      {
        name: 'window alone',
        value: medianOf3(windowed, checks()),
        unit: 'points per CPU-second',
        role: 'reference',
        note: 'the same input through the window processor only',
      },
    ],
  };
};
