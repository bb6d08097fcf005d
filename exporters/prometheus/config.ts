import { boundedInt, duration, parseListenAddress, z } from '../../src/index.js';

/** Prometheus' own legacy name characters; the namespace becomes the first token of every name. */
const NAMESPACE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const prometheusConfigSchema = z
  .strictObject({
    endpoint: z
      .string()
      .refine((text) => parseListenAddress(text) !== undefined, {
        message: 'expected host:port, such as 127.0.0.1:9464 or [::1]:9464, with a port from 1 to 65535',
      })
      .default('127.0.0.1:9464')
      .describe(
        'Where the scrape endpoint listens, `host:port`. 9464 is the port of OpenTelemetry\'s Prometheus exporters; the default host is the loopback interface only: write `0.0.0.0:9464` to be scraped from other machines.',
      ),
    path: z
      .string()
      .regex(/^\/[^\s?#]*$/, 'expected a path starting with /, without spaces, query or fragment')
      .default('/metrics')
      .describe('The path that serves the metrics; any other path answers 404.'),
    namespace: z
      .string()
      .regex(NAMESPACE, 'expected letters, digits and underscores, not starting with a digit')
      .optional()
      .describe('A prefix put before every metric name, joined by `_` (`healthpipe` makes `healthpipe_process_cpu_time_seconds_total`).'),
    resource_to_telemetry_conversion: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe('Puts every resource attribute on every series as a label (`service.name` → `service_name`), as the collector\'s option of that name does.'),
      })
      .prefault({})
      .describe('Resource attributes as labels on every series, beside `job` and `instance`.'),
    target_info: z
      .boolean()
      .default(true)
      .describe(
        'Writes one `target_info` gauge (value 1) per resource, labelled with `job`, `instance` and the resource\'s other attributes, to be joined on `job` and `instance`.',
      ),
    metric_expiration: duration({ min: 1000 })
      .prefault('5m')
      .describe('A series not updated for this long is no longer served (the collector\'s default: 5m).'),
    max_series: boundedInt({ min: 1, max: 1_000_000, maxReason: 'every series is held in memory and written on every scrape' })
      .default(10_000)
      .describe('Series held at most; points of further new series are dropped (counted, `reason=max_series`) until some expire.'),
  })
  .describe('Serves the latest value of every series on an HTTP endpoint in the Prometheus text format, for Prometheus to scrape.');

export type PrometheusConfig = z.output<typeof prometheusConfigSchema>;
