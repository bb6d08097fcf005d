import { Observable, exhaustMap, timer } from 'rxjs';
import { Resource, SeriesSet, redactedUrl } from 'healthpipe';
import { ExpositionError, parseExposition } from './exposition.js';
import { ScrapeError, scrape } from './scrape.js';
import { ExpositionSeries } from './series.js';

/**
 * @typedef {import('healthpipe').ComponentContext} ComponentContext
 * @typedef {import('healthpipe').MetricBatch} MetricBatch
 * @typedef {import('./config.js').PrometheusConfig} PrometheusConfig
 */

/**
 * What the receiver says of each scrape, beside the service's own metrics.
 * @type {Record<'up' | 'duration' | 'series', import('healthpipe').SeriesDescriptor>}
 */
const SCRAPE = {
  up: { name: 'prometheus.scrape.up', unit: '1', kind: 'gauge', description: '1 when the endpoint was read whole, 0 when the scrape failed (the point\'s message says why)' },
  duration: { name: 'prometheus.scrape.duration', unit: 's', kind: 'gauge', description: 'How long the scrape took, failed or not' },
  series: { name: 'prometheus.scrape.series', unit: '{series}', kind: 'gauge', description: 'Series carried from the last exposition (at most max_series)' },
};

/**
 * A receiver of one endpoint: every `collection_interval` (on the agent's scheduler) one
 * scrape; the samples become points of one resource, `service.name` = `service`. A failed
 * scrape is a point too (`prometheus.scrape.up` 0, with the reason), never an error of
 * the stream: the next tick tries again.
 * @param {PrometheusConfig} config @param {ComponentContext} context
 * @returns {Observable<MetricBatch>}
 */
export function createPrometheusReceiver(config, context) {
  const endpoint = new URL(config.endpoint);
  const resource = new Resource({
    'service.name': config.service,
    'server.address': endpoint.hostname,
    'server.port': Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
  });
  const scrapeSeries = new SeriesSet(resource);
  const up = scrapeSeries.get(SCRAPE.up);
  const took = scrapeSeries.get(SCRAPE.duration);
  const carried = scrapeSeries.get(SCRAPE.series);
  // The URL may hold credentials (`http://user:pass@host/metrics`): logs get it without them.
  const shown = redactedUrl(config.endpoint);
  const series = new ExpositionSeries(resource, config, context.logger);
  let failing = false;

  /** @param {number} started @returns {Observable<MetricBatch>} */
  function scrapeOnce(started) {
    return new Observable((subscriber) => {
      const stop = new AbortController();
      const startedAt = performance.now();
      scrape(config.endpoint, { timeoutMs: config.timeout, maxBytes: config.max_body_size, signal: stop.signal })
        .then((text) => series.pointsOf(parseExposition(text), started))
        .then(
          (points) => {
            if (failing) context.logger.info(`${shown} answers again`);
            failing = false;
            points.push(
              { series: carried, value: series.size, time: started },
              { series: up, value: 1, time: started },
              { series: took, value: (performance.now() - startedAt) / 1000, time: started },
            );
            subscriber.next(points);
            subscriber.complete();
          },
          (error) => {
            if (stop.signal.aborted) return;
            const reason =
              error instanceof ScrapeError ? `${error.type}: ${error.message}` : error instanceof ExpositionError ? `parse: ${error.message}` : String(error);
            if (!failing) context.logger.warn(`scrape of ${shown} failed`, { reason });
            failing = true;
            subscriber.next([
              { series: up, value: 0, time: started, message: reason },
              { series: took, value: (performance.now() - startedAt) / 1000, time: started },
            ]);
            subscriber.complete();
          },
        );
      return () => stop.abort();
    });
  }

  return timer(0, config.collection_interval, context.scheduler).pipe(exhaustMap(() => scrapeOnce(context.scheduler.now())));
}
