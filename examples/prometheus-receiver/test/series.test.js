import { Resource } from 'healthpipe';
import { describe, expect, it } from 'vitest';
import { prometheusConfigSchema } from '../lib/config.js';
import { parseExposition } from '../lib/exposition.js';
import { ExpositionSeries } from '../lib/series.js';

/** A logger that remembers what it was asked to say once. */
function recordingLogger() {
  /** @type {string[]} */
  const said = [];
  const logger = {
    debug() {},
    info() {},
    warn() {},
    error() {},
    /** @param {string} _key @param {string} _level @param {string} message */
    once(_key, _level, message) {
      said.push(message);
    },
    child: () => logger,
  };
  return { logger, said };
}

const resource = new Resource({ 'service.name': 'shop' });

describe('ExpositionSeries', () => {
  it('keeps a series one object across scrapes, and ends one the endpoint stops showing with a stale marker', () => {
    const series = new ExpositionSeries(resource, { max_series: 100, include_buckets: false }, recordingLogger().logger);
    const first = series.pointsOf(parseExposition('jobs{queue="a"} 1\njobs{queue="b"} 2\n'), 1000);
    const second = series.pointsOf(parseExposition('jobs{queue="a"} 3\n'), 2000);
    expect(second[0]?.series).toBe(first[0]?.series);
    expect(second).toHaveLength(2);
    expect(second[1]).toMatchObject({ series: first[1]?.series, time: 2000, stale: true });
    expect(series.size).toBe(1);
    // Gone is forgotten: no second marker.
    expect(series.pointsOf(parseExposition('jobs{queue="a"} 4\n'), 3000)).toHaveLength(1);
  });

  it('keeps at most max_series, dropping the rest and saying so once', () => {
    const { logger, said } = recordingLogger();
    const series = new ExpositionSeries(resource, { max_series: 2, include_buckets: false }, logger);
    const points = series.pointsOf(parseExposition('a 1\nb 2\nc 3\n'), 1000);
    expect(points.map((p) => p.series.name)).toEqual(['a', 'b']);
    expect(series.size).toBe(2);
    expect(said).toEqual(['the endpoint shows more series than max_series; the rest are dropped']);
  });

  it('makes counters, counts and buckets growing sums, a sum a sum, the rest gauges; buckets only when asked', () => {
    const text = '# TYPE c counter\nc 1\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum -2\nh_count 1\n# TYPE q summary\nq{quantile="0.9"} 5\ng 7\n';
    const kinds = (/** @type {boolean} */ include) =>
      new ExpositionSeries(resource, { max_series: 100, include_buckets: include }, recordingLogger().logger)
        .pointsOf(parseExposition(text), 0)
        .map((p) => `${p.series.name}:${p.series.kind}:${p.series.monotonic}`);
    expect(kinds(false)).toEqual(['c:sum:true', 'h_sum:sum:false', 'h_count:sum:true', 'q:gauge:false', 'g:gauge:false']);
    expect(kinds(true)).toContain('h_bucket:sum:true');
  });
});

describe('the configuration', () => {
  it('takes defaults and refuses a timeout longer than the interval', () => {
    expect(prometheusConfigSchema.parse({ service: 'shop', endpoint: 'http://127.0.0.1:9100/metrics' })).toMatchObject({
      collection_interval: 15_000,
      timeout: 5_000,
      include_buckets: false,
      max_series: 10_000,
    });
    const result = prometheusConfigSchema.safeParse({ service: 'shop', endpoint: 'http://127.0.0.1:9100/metrics', collection_interval: '1s', timeout: '2s' });
    expect(result.error?.issues[0]).toMatchObject({ path: ['timeout'], message: 'timeout must not be longer than collection_interval' });
    expect(prometheusConfigSchema.safeParse({ service: 'shop', endpoint: 'ftp://host/metrics' }).success).toBe(false);
  });
});
