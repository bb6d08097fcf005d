import { SeriesSet, canonicalAttributes, staleMarker } from 'healthpipe';

/**
 * @typedef {import('healthpipe').Logger} Logger
 * @typedef {import('healthpipe').MetricKind} MetricKind
 * @typedef {import('healthpipe').MetricPoint} MetricPoint
 * @typedef {import('healthpipe').Resource} Resource
 * @typedef {import('healthpipe').Series} Series
 * @typedef {import('./exposition.js').Sample} Sample
 */

/**
 * The kind of point a sample becomes; undefined to leave it out. Counters, and the `_sum`,
 * `_count` and `_bucket` of histograms and summaries, are cumulative sums (all but `_sum`
 * only grow: an observation may be negative); a summary's quantiles and everything else
 * are gauges.
 * @param {Sample} sample @param {boolean} includeBuckets
 * @returns {{ kind: MetricKind, monotonic: boolean } | undefined}
 */
function kindOf(sample, includeBuckets) {
  if (sample.type === 'counter') return { kind: 'sum', monotonic: true };
  if (sample.type === 'histogram' || sample.type === 'summary') {
    if (sample.name === `${sample.family}_bucket`) return includeBuckets ? { kind: 'sum', monotonic: true } : undefined;
    if (sample.name === `${sample.family}_sum`) return { kind: 'sum', monotonic: false };
    if (sample.name === `${sample.family}_count`) return { kind: 'sum', monotonic: true };
  }
  return { kind: 'gauge', monotonic: false };
}

/**
 * The series of one endpoint, from one exposition to the next: a series stays one object
 * while the endpoint shows it, at most `max_series` are kept, and one the endpoint stops
 * showing ends with a staleness marker and is forgotten.
 */
export class ExpositionSeries {
  /** @type {Map<string, Series>} the series of the last exposition, by name and labels */
  #known = new Map();

  /**
   * @param {Resource} resource
   * @param {{ max_series: number, include_buckets: boolean }} config
   * @param {Logger} logger
   */
  constructor(resource, config, logger) {
    this.resource = resource;
    this.config = config;
    this.logger = logger;
  }

  /** The points of one exposition's samples, stamped `time`. @param {Sample[]} samples @param {number} time @returns {MetricPoint[]} */
  pointsOf(samples, time) {
    /** @type {Map<string, Series>} */
    const current = new Map();
    // Makes only the series not seen before, and is dropped after: what is kept is bounded.
    const maker = new SeriesSet(this.resource);
    /** @type {MetricPoint[]} */
    const points = [];
    let dropped = 0;
    for (const sample of samples) {
      const kind = kindOf(sample, this.config.include_buckets);
      if (kind === undefined) continue;
      const key = `${sample.name}${canonicalAttributes(sample.labels)}`;
      let series = current.get(key) ?? this.#known.get(key);
      if (series === undefined) {
        if (current.size >= this.config.max_series) {
          dropped += 1;
          continue;
        }
        series = maker.get({ name: sample.name, unit: '', ...kind }, sample.labels);
      }
      current.set(key, series);
      points.push({ series, value: sample.value, time });
    }
    if (dropped > 0) {
      this.logger.once('max_series', 'warn', 'the endpoint shows more series than max_series; the rest are dropped', { max_series: this.config.max_series, dropped });
    }
    // A series the endpoint no longer shows was removed on purpose (a label value gone):
    // its last point says so, and processors forget it without raising `unknown`.
    for (const [key, series] of this.#known) if (!current.has(key)) points.push(staleMarker(series, time));
    this.#known = current;
    return points;
  }

  /** How many series the last exposition kept. */
  get size() {
    return this.#known.size;
  }
}
