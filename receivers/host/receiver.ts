import { HostMetrics } from '@opentelemetry/host-metrics';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Observable, tap, timer } from 'rxjs';
import {
  MetricPointConverter,
  PullMetricReader,
  SeriesSet,
  collectEach,
  type ComponentContext,
  type MetricBatch,
} from '../../src/index.js';
import { enabledGroups, enabledMetrics, type HostConfig } from './config.js';
import { prepareHostMetrics } from './prepare.js';
import { hostResource } from './resource.js';

/** The meter's name, as our points would show it if they kept the SDK's scope. */
const METER_NAME = 'healthpipe.host';

/**
 * The machine's figures every `collection_interval` (the injected scheduler's), starting at
 * once. host-metrics registers observable instruments on a MeterProvider of this
 * subscription's own; a pull reader collects them on our tick, and the core's converter
 * stamps the points with the scheduler's time on the host resource. A read still running at
 * the next tick makes that tick skip; one longer than an interval is cut and counted.
 * Unsubscribing shuts the provider down: nothing of it is left.
 *
 * host-metrics' process groups (process.cpu.*, process.memory.*) are never asked for: they
 * measure this agent's own process, which the `process` receiver reads (`self: true`) on a
 * resource that says it is a process; here they would pass for the machine's.
 */
export function hostMetrics$(config: HostConfig, context: ComponentContext): Observable<MetricBatch> {
  const { scheduler, logger, telemetry } = context;
  const enabled = enabledMetrics(config);
  const groups = enabledGroups(enabled);
  return new Observable<MetricBatch>((subscriber) => {
    if (groups.length === 0) {
      logger.once('nothing-enabled', 'warn', 'every host metric is turned off: the host receiver emits nothing');
      return undefined;
    }
    const reader = new PullMetricReader();
    const provider = new MeterProvider({ readers: [reader] });
    new HostMetrics({ meterProvider: provider, name: METER_NAME, metricGroups: groups }).start();
    const converter = new MetricPointConverter(new SeriesSet(hostResource(config.service)));

    const collect = async (now: number): Promise<MetricBatch> => {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) logger.once('read-errors', 'warn', 'host-metrics could not read part of the machine', { error: errors[0] });
      return converter.convert(prepareHostMetrics(resourceMetrics, enabled), now);
    };

    const subscription = timer(0, config.collection_interval, scheduler)
      .pipe(
        collectEach(
          () => collect(scheduler.now()),
          (error) => logger.once('collect-failed', 'warn', 'cannot read the host; skipping this interval', { error }),
          {
            timeout: config.collection_interval,
            scheduler,
            onTimeout: () => {
              telemetry.timedOut(1);
              logger.once('collect-timeout', 'warn', 'reading the host took longer than collection_interval; cut', {});
            },
          },
        ),
        tap((batch) => telemetry.accepted(batch.length)),
      )
      .subscribe(subscriber);

    return () => {
      subscription.unsubscribe();
      provider.shutdown().catch((error: unknown) => logger.once('shutdown-failed', 'warn', 'host meter provider did not shut down', { error }));
    };
  });
}
