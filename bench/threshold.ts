import { thresholdConfigSchema, threshold } from '../processors/threshold/index.js';
import type { BenchModule } from './types.js';
import { buildBatches, buildSeries, medianOf3, windowed, type WindowFactory } from './window.js';

const METRICS = 10;

/**
 * One rule per metric of the bench's series (`metric.0` … `metric.9`), over the window's
 * mean. The values are uniform in 0..1, so a window mean of 4 points is past 0.85 in about
 * 0.5 % of windows and past 0.8 in about 2 %: fleets where a few series change level, each
 * change an event. With warning at 0.5 about half of all windows change level: the worst
 * case (flap detection then holds some of the events).
 */
function chain(warning: number): WindowFactory {
  const config = thresholdConfigSchema.parse({
    rules: Array.from({ length: METRICS }, (_, m) => ({
      name: `rule_${m}`,
      metric: `metric.${m}`,
      above: { warning, error: 0.9, critical: 0.95 },
    })),
  });
  return (scheduler) => (source) => source.pipe(windowed(scheduler), threshold(config, { scheduler }));
}

export const run: BenchModule = async () => {
  const series = buildSeries();
  const checks = () => buildBatches(series, 15_000, 800_000);
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
        value: medianOf3(chain(0.5), checks()),
        unit: 'points per CPU-second',
        role: 'measured',
        note: 'an event for most changes: the worst case',
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
