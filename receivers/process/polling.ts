import { defer, type Observable } from 'rxjs';
import { scheduleTargets } from '../../src/index.js';
import type { ComponentContext, MetricBatch } from '../../src/index.js';
import type { ProcessConfig } from './config.js';
import { scrapeRounds } from './scrape-rounds.js';
import type { ProcessTarget } from './targets.js';

/** Reads every target in one pass; stops touching state once `signal` aborts. */
export type Scrape = (targets: readonly ProcessTarget[], signal: AbortSignal) => Promise<MetricBatch>;

/**
 * The receiver's whole target set is one scheduled target: the procfs fast path reads all
 * processes in one pass, so one scrape per interval, starting at once; its key never
 * changes, so it keeps its phase. A set whose keys change gets one extra scrape at once
 * (see `scrapeRounds`), so a new target is read within a second and what left gets its
 * stale markers then. What the scheduler adds: a scrape that hangs (a PID file on a stuck
 * mount, a slow backend) is cut at `timeout`, counted and logged, and the next one starts on
 * time instead of the receiver going silent.
 */
export function scrapeOnSchedule(
  targets$: Observable<readonly ProcessTarget[]>,
  scrape: Scrape,
  config: Pick<ProcessConfig, 'collection_interval' | 'timeout'>,
  context: Pick<ComponentContext, 'scheduler' | 'logger' | 'telemetry'>,
): Observable<MetricBatch> {
  const { logger } = context;
  return defer(() => {
    // The newest set version a scrape has started on: an extra round it covers has nothing to do.
    let scrapedVersion = -1;
    return targets$.pipe(
      scrapeRounds(config.collection_interval, context.scheduler),
      scheduleTargets({
        interval: config.collection_interval,
        timeout: config.timeout,
        spread: false,
        scheduler: context.scheduler,
        telemetry: context.telemetry,
        collect: (round, { signal }) => {
          if (round.extra && scrapedVersion >= round.version) return Promise.resolve([]);
          scrapedVersion = Math.max(scrapedVersion, round.version);
          return scrape(round.targets, signal);
        },
        onTimeout: () => {
          logger.once('scrape-timeout', 'warn', `a scrape took longer than ${config.timeout} ms and was cut; the next one runs on time`);
          return [];
        },
        onError: (_round, error) => {
          logger.error('process scrape failed', { error });
          return [];
        },
      }),
    );
  });
}
