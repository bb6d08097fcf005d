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
import { CpuUtilization } from './cpu-utilization.js';
import { isNetworkMetric, NetworkPoints } from './network.js';
import { procNetDev, type ReadNetworkCounters } from './network-source.js';
import { parseProcNetDev } from './proc-net-dev.js';
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
 * Network figures come from `/proc/net/dev` (`readNetworkCounters`), read asynchronously,
 * for every interface but loopback: host-metrics' network group runs `ip route` with
 * `execSync` on every read, which blocked the event loop for about 100 ms. Without
 * `/proc/net/dev` (not Linux) host-metrics' network group is used instead.
 *
 * `system.cpu.utilization` is computed here too (cpu-utilization.ts), with a baseline per
 * subscription; host-metrics' own keeps one per process (see the README).
 *
 * host-metrics' process groups (process.cpu.*, process.memory.*) are never asked for: they
 * measure this agent's own process, which the `process` receiver reads (`self: true`) on a
 * resource that says it is a process; here they would pass for the machine's.
 */
export function hostMetrics$(
  config: HostConfig,
  context: ComponentContext,
  readNetworkCounters: ReadNetworkCounters | null = procNetDev(),
): Observable<MetricBatch> {
  const { scheduler, logger, telemetry } = context;
  const enabled = enabledMetrics(config);
  const network = readNetworkCounters === null ? [] : [...enabled].filter(isNetworkMetric);
  const ownCpuUtilization = enabled.has('system.cpu.utilization');
  // What host-metrics is still asked for: its utilization has a baseline per process, ours one per receiver.
  const fromHostMetrics = new Set(
    [...enabled].filter((name) => name !== 'system.cpu.utilization' && !(readNetworkCounters !== null && isNetworkMetric(name))),
  );
  const groups = enabledGroups(fromHostMetrics);
  return new Observable<MetricBatch>((subscriber) => {
    if (groups.length === 0 && network.length === 0 && !ownCpuUtilization) {
      logger.once('nothing-enabled', 'warn', 'every host metric is turned off: the host receiver emits nothing');
      return undefined;
    }
    const resource = hostResource(config.service);
    const reader = new PullMetricReader();
    const provider = groups.length === 0 ? undefined : new MeterProvider({ readers: [reader] });
    if (provider !== undefined) new HostMetrics({ meterProvider: provider, name: METER_NAME, metricGroups: groups }).start();
    const converter = new MetricPointConverter(new SeriesSet(resource));
    const networkPoints = new NetworkPoints(resource, network);
    const cpuUtilization = ownCpuUtilization ? new CpuUtilization(resource) : undefined;

    const readHostMetrics = async (now: number): Promise<MetricBatch> => {
      if (provider === undefined) return [];
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) logger.once('read-errors', 'warn', 'host-metrics could not read part of the machine', { error: errors[0] });
      return converter.convert(prepareHostMetrics(resourceMetrics, fromHostMetrics), now);
    };
    // A failed read of the counters leaves the network out of this batch (as host-metrics
    // did), not the CPU and memory read beside it; the devices are kept, not marked stale.
    const readNetwork = async (now: number): Promise<MetricBatch> => {
      if (readNetworkCounters === null || network.length === 0) return [];
      try {
        return networkPoints.points(parseProcNetDev(await readNetworkCounters()), now);
      } catch (error) {
        logger.once('network-read-failed', 'warn', 'cannot read /proc/net/dev; no network figures this interval', { error });
        return [];
      }
    };
    const collect = async (now: number): Promise<MetricBatch> => {
      const [host, net] = await Promise.all([readHostMetrics(now), readNetwork(now)]);
      return [...host, ...(cpuUtilization?.points(now) ?? []), ...net];
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
      provider?.shutdown().catch((error: unknown) => logger.once('shutdown-failed', 'warn', 'host meter provider did not shut down', { error }));
    };
  });
}
