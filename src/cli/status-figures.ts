import type { LatestValue, RangeSeries } from '../history/reader.js';

/** The attribute the `window` processor gives its figures (DESIGN.md §3, "Window output"). */
const AGGREGATE = 'aggregate';

/** Series of one metric as a receiver wrote them, or else as a `window` wrote one aggregate of them. */
type Measured = Pick<LatestValue, 'metric' | 'attributes'>;

/**
 * The series of `metric` that `status` reads: the receiver's own (no `aggregate` attribute)
 * when the store holds them; else, in a pipeline that stores only what `window` made of
 * them, the first of `aggregates` that it holds.
 */
export function measuredSeries<T extends Measured>(values: readonly T[], metric: string, aggregates: readonly string[]): T[] {
  const ofMetric = values.filter((value) => value.metric === metric);
  const raw = ofMetric.filter((value) => !Object.hasOwn(value.attributes, AGGREGATE));
  if (raw.length > 0) return raw;
  for (const aggregate of aggregates) {
    const windowed = ofMetric.filter((value) => value.attributes[AGGREGATE] === aggregate);
    if (windowed.length > 0) return windowed;
  }
  return [];
}

/**
 * The values of the series that are still current: a series whose source went away (a
 * process that ended, a state with no socket left) keeps its last value in the store, and
 * must not be added to the living ones. Current = within `recentMs` of the newest of them.
 */
export function currentValues(values: readonly LatestValue[], recentMs: number): LatestValue[] {
  const newest = values.reduce((max, value) => Math.max(max, value.time), -Infinity);
  return values.filter((value) => value.time >= newest - recentMs);
}

/** The sum of the current values; undefined when there is none. */
export function currentSum(values: readonly LatestValue[], recentMs: number): number | undefined {
  const current = currentValues(values, recentMs);
  return current.length === 0 ? undefined : current.reduce((sum, value) => sum + value.value, 0);
}

/** Every answered step of every series, as one list. */
export function stepValues(series: readonly RangeSeries[]): number[] {
  return series.flatMap((one) => one.points.map((point) => point.value));
}
