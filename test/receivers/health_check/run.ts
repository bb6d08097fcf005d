import { Subject, type Subscription } from 'rxjs';
import { afterEach } from 'vitest';
import type { Discovery } from '../../../src/component/discovery.js';
import type { TargetSet } from '../../../src/component/targets.js';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { healthCheckConfigSchema } from '../../../receivers/health_check/config.js';
import { createHealthCheckReceiver } from '../../../receivers/health_check/receiver.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { discoveryOf } from '../../helpers/discovery.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { FakeChecks } from './fake-checks.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** The receiver under test (in virtual time, with fake checks): one per test, unsubscribed after it. */
export let subscription: Subscription | undefined;
afterEach(() => subscription?.unsubscribe());

export interface Run {
  readonly scheduler: SteppingScheduler;
  readonly context: TestContext;
  readonly checks: FakeChecks;
  readonly batches: MetricBatch[];
  /** Advances virtual time by `ms` and lets the checks' promises settle. */
  advance(ms: number): Promise<void>;
  points(name: string, service?: string): MetricPoint[];
}

/**
 * Advances virtual time by `ms` in 10 ms steps, letting the checks' promises settle at each,
 * so that a check's answer arrives before its timeout is due.
 */
export function advancer(scheduler: SteppingScheduler): (ms: number) => Promise<void> {
  // The virtual clock only moves to actions it runs: the stepper keeps its own time.
  let now = scheduler.now();
  return async (ms) => {
    for (const end = now + ms; now < end; ) {
      now = Math.min(end, now + 10);
      scheduler.advanceTo(now);
      await settle();
    }
  };
}

/** `discovery` answers for the sources of `targets_from`; a subject of targets feeds all of them as complete sets. */
export function start(
  config: Record<string, unknown>,
  setup: (checks: FakeChecks) => void = () => {},
  discovery?: Subject<TargetSet> | Discovery,
): Run {
  const scheduler = new SteppingScheduler();
  const context = createTestContext({
    scheduler,
    ...(discovery === undefined ? {} : { discovery: 'sets$' in discovery ? discovery : discoveryOf(discovery) }),
  });
  const checks = new FakeChecks();
  setup(checks);
  const parsed = healthCheckConfigSchema.parse({ collection_interval: '1s', timeout: '500ms', ...config });
  const batches: MetricBatch[] = [];
  subscription = createHealthCheckReceiver(parsed, context, checks.factory).subscribe({
    next: (batch) => batches.push(batch),
    error: (error: unknown) => {
      throw error;
    },
  });
  return {
    scheduler,
    context,
    checks,
    batches,
    advance: advancer(scheduler),
    points(name, service) {
      return batches.flat().filter((point) => point.series.name === name && (service === undefined || point.series.resource.attributes['service.name'] === service));
    },
  };
}

export const tcp = (service: string, port = 5432, extra: Record<string, unknown> = {}) => ({ service, tcp: { host: '127.0.0.1', port }, ...extra });

