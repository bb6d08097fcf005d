import { parseListenAddress, type ComponentContext, type Exporter, type MetricBatch } from '../../src/index.js';
import type { PrometheusConfig } from './config.js';
import { ExposedSeries, type Refusal } from './exposed-series.js';
import { ScrapeServer } from './server.js';

const REFUSALS: Readonly<Record<Refusal, string>> = {
  max_series: 'max_series reached: points of new series are dropped until some expire',
  unsupported_kind: 'histogram points cannot be served yet: dropped',
  invalid_name: 'a metric name translates to no Prometheus name: its points are dropped',
};

/**
 * The `prometheus` exporter: keeps the latest value of each series and serves them on a
 * scrape. Nothing is sent, so a point counts as `sent` once it is held for the next scrape.
 */
export function createPrometheusExporter(config: PrometheusConfig, context: ComponentContext): Exporter<'metrics'> {
  const { scheduler, telemetry, logger } = context;
  const exposed = new ExposedSeries({
    ...(config.namespace === undefined ? {} : { namespace: config.namespace }),
    resourceLabels: config.resource_to_telemetry_conversion.enabled,
    targetInfo: config.target_info,
    expiration: config.metric_expiration,
    maxSeries: config.max_series,
  });
  // The schema checked the endpoint already.
  const server = new ScrapeServer(parseListenAddress(config.endpoint)!, config.path, () => exposed.render(scheduler.now()), logger);

  return {
    start: () => server.start(),
    consume(batch: MetricBatch): void {
      const now = scheduler.now();
      let sent = 0;
      for (const point of batch) {
        const refusal = exposed.update(point, now);
        if (refusal === undefined) {
          if (!point.stale) sent += 1;
          continue;
        }
        telemetry.dropped(1, { reason: refusal });
        logger.once(refusal, 'warn', REFUSALS[refusal], { metric: point.series.name, max_series: config.max_series });
      }
      if (sent > 0) telemetry.sent(sent);
    },
    async flush() {},
    shutdown: () => server.close(),
  };
}
