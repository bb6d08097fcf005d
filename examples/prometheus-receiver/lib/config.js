import { boundedInt, duration, httpUrl, size, z } from 'healthpipe';

export const prometheusConfigSchema = z
  .strictObject({
    service: z.string().min(1).describe('The service these metrics are of: the `service.name` of every point.'),
    endpoint: httpUrl().describe('The URL of the service\'s Prometheus text endpoint, e.g. `http://127.0.0.1:9100/metrics`.'),
    collection_interval: duration({ min: '100ms' }).prefault('15s').describe('How often the endpoint is read. A scrape still running at the next tick skips that tick.'),
    timeout: duration({ min: '10ms', max: '5m', maxReason: 'a scrape held longer holds every later one' })
      .prefault('5s')
      .describe('The whole request, from connecting to the last byte; past it the scrape fails (`prometheus.scrape.up` 0).'),
    include_buckets: z
      .boolean()
      .default(false)
      .describe('Also carry the `_bucket` samples of histograms (one series per bucket, `le` attribute). Off, a histogram gives its `_sum` and `_count`.'),
    max_series: boundedInt({ min: 1, max: 1_000_000, maxReason: 'an endpoint with more series is a scrape target for Prometheus, not for a health agent' })
      .default(10_000)
      .describe('Most series kept from one endpoint; samples beyond are dropped, and that is logged once.'),
    max_body_size: size({ min: 1024, max: 256 * 1024 * 1024, maxReason: 'the exposition is read whole into memory' })
      .prefault('16MiB')
      .describe('Largest exposition read; a larger one fails the scrape.'),
  })
  .refine((config) => config.timeout <= config.collection_interval, {
    message: 'timeout must not be longer than collection_interval',
    path: ['timeout'],
  });

/** @typedef {z.output<typeof prometheusConfigSchema>} PrometheusConfig */
