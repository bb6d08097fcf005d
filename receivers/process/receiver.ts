import { EMPTY, catchError, defer, finalize, map, of, startWith, type Observable } from 'rxjs';
import type { ComponentContext } from '../../src/component/types.js';
import type { MetricBatch } from '../../src/model/point.js';
import type { ProcessConfig } from './config.js';
import { createBackend } from './create-backend.js';
import { scrapeOnSchedule } from './polling.js';
import { ProcessScraper } from './scraper.js';
import { discoveredTargets, staticTargets, type ProcessTarget } from './targets.js';

/** The configured targets plus, when `targets_from` names sources, the discovered ones. */
function targetsOf(config: ProcessConfig, context: ComponentContext): Observable<readonly ProcessTarget[]> {
  const configured = staticTargets(config.targets);
  if (config.targets_from.length === 0) return of(configured);
  return context.targets$.pipe(
    map((instances) => [...configured, ...discoveredTargets(instances)]),
    // Discovery failing must not end the scrape: the last set known stays in use.
    catchError((error: unknown) => {
      context.logger.error('target discovery failed; keeping the last known targets', { error });
      return EMPTY;
    }),
    // Scrape the configured targets before discovery's first answer (or if it never answers).
    startWith(configured),
  );
}

/**
 * Every `collection_interval`, one scrape of all current targets and one batch out, each cut
 * at `timeout`. Cold: each subscription has its own scraper (handles, series, CPU history),
 * released on unsubscribe.
 */
export function createProcessReceiver(config: ProcessConfig, context: ComponentContext): Observable<MetricBatch> {
  const targets$ = targetsOf(config, context);
  return defer(() => {
    const now = () => context.scheduler.now();
    const scraper = new ProcessScraper(createBackend(config, now), context);
    return scrapeOnSchedule(targets$, (targets, signal) => scraper.scrape(targets, signal), config, context).pipe(
      finalize(() => scraper.close()),
    );
  });
}
