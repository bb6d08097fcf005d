import { map, type Observable } from 'rxjs';
import { scheduleTargets } from '../../src/index.js';
import type { ComponentContext, MetricBatch } from '../../src/index.js';
import type { ProcessConfig } from './config.js';
import type { ProcessTarget } from './targets.js';

/** Reads every target in one pass; stops touching state once `signal` aborts. */
export type Scrape = (targets: readonly ProcessTarget[], signal: AbortSignal) => Promise<MetricBatch>;

/**
 * The receiver's whole target set is one scheduled target: the procfs fast path reads all
 * processes in one pass, so one scrape per interval, starting at once. The key never
 * changes, so a new target set keeps the phase and is read at the next scrape. What the
 * scheduler adds: a scrape that hangs (a PID file on a stuck mount, a slow backend) is cut at
 * `timeout`, counted and logged, and the next one starts on time instead of the receiver
 * going silent.
 */
export function scrapeOnSchedule(
  targets$: Observable<readonly ProcessTarget[]>,
  scrape: Scrape,
  config: Pick<ProcessConfig, 'collection_interval' | 'timeout'>,
  context: Pick<ComponentContext, 'scheduler' | 'logger' | 'telemetry'>,
): Observable<MetricBatch> {
  const { logger } = context;
  return targets$.pipe(
    map((targets) => [{ key: 'scrape', targets }]),
    scheduleTargets({
      interval: config.collection_interval,
      timeout: config.timeout,
      spread: false,
      scheduler: context.scheduler,
      telemetry: context.telemetry,
      collect: (round, { signal }) => scrape(round.targets, signal),
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
}
