import { defer, finalize, type Observable } from 'rxjs';
import { configuredAndDiscovered } from '../../src/component/configured-and-discovered.js';
import type { ServiceInstance } from '../../src/component/targets.js';
import type { ComponentContext } from '../../src/component/types.js';
import type { MetricBatch } from '../../src/model/point.js';
import { enabledMetrics, type ProcessConfig } from './config.js';
import { createBackend } from './create-backend.js';
import { scrapeOnSchedule } from './polling.js';
import { localHost, ProcessScraper } from './scraper.js';
import { ProcessMatcher } from './selection/matcher.js';
import { discoveredTargets, staticTargets } from './targets.js';

/**
 * Every `collection_interval`, one scrape of all current targets and one batch out, each cut
 * at `timeout`. Cold: each subscription has its own scraper (handles, series, CPU history),
 * released on unsubscribe.
 */
export function createProcessReceiver(config: ProcessConfig, context: ComponentContext): Observable<MetricBatch> {
  const invalid = (instance: ServiceInstance, problem: string) =>
    context.logger.once(`invalid instance ${instance.source} ${instance.id}`, 'warn', `instance ${instance.id} of ${instance.source} is skipped: ${problem}`, {
      service: instance.service,
    });
  const targets$ = configuredAndDiscovered(staticTargets(config.targets), config.targets_from, context, (instances) =>
    discoveredTargets(instances, invalid),
  );
  return defer(() => {
    const now = () => context.scheduler.now();
    const scraper = new ProcessScraper(createBackend(config, now), context, localHost(), new ProcessMatcher(), enabledMetrics(config.metrics));
    return scrapeOnSchedule(targets$, (targets, signal) => scraper.scrape(targets, signal), config, context).pipe(
      finalize(() => scraper.close()),
    );
  });
}
