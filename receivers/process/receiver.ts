import { defer, finalize, type Observable } from 'rxjs';
import { configuredAndDiscovered } from '../../src/index.js';
import type { ComponentContext, MetricBatch } from '../../src/index.js';
import type { ProcessConfig } from './config.js';
import { createBackend } from './create-backend.js';
import { scrapeOnSchedule } from './polling.js';
import { ProcessScraper } from './scraper.js';
import { discoveredTargets, staticTargets } from './targets.js';

/**
 * Every `collection_interval`, one scrape of all current targets and one batch out, each cut
 * at `timeout`. Cold: each subscription has its own scraper (handles, series, CPU history),
 * released on unsubscribe.
 */
export function createProcessReceiver(config: ProcessConfig, context: ComponentContext): Observable<MetricBatch> {
  const targets$ = configuredAndDiscovered(staticTargets(config.targets), config.targets_from, context, discoveredTargets);
  return defer(() => {
    const now = () => context.scheduler.now();
    const scraper = new ProcessScraper(createBackend(config, now), context);
    return scrapeOnSchedule(targets$, (targets, signal) => scraper.scrape(targets, signal), config, context).pipe(
      finalize(() => scraper.close()),
    );
  });
}
