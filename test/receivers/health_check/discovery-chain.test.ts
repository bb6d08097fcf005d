import { afterEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { DiscoveryBoard } from '../../../src/component/discovery-board.js';
import type { ServiceInstance } from '../../../src/component/targets.js';
import type { HealthEvent } from '../../../src/model/event.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { healthCheckConfigSchema } from '../../../receivers/health_check/config.js';
import { createHealthCheckReceiver } from '../../../receivers/health_check/receiver.js';
import { windowProcessor } from '../../../processors/window/index.js';
import { thresholdProcessor } from '../../../processors/threshold/index.js';
import { LEVELS_NAMESPACE } from '../../../processors/threshold/stored-level.js';
import { RECORDS_NAMESPACE, cooldownProcessor } from '../../../processors/cooldown/index.js';
import { createTestContext } from '../../helpers/context.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { FakeChecks } from './fake-checks.js';
import { advancer } from './run.js';

const instance = (id: string, port: number): ServiceInstance => ({ id, source: 'registry', service: id, host: '127.0.0.1', port, labels: {} });

let subscription: Subscription | undefined;
let store: Store | undefined;
afterEach(() => {
  subscription?.unsubscribe();
  store?.close();
});

/**
 * A registry's instances through the runtime's discovery board into health_check (fake
 * checks), then window → threshold → cooldown, all on one virtual clock and one store.
 */
function alertsPipeline() {
  const scheduler = new SteppingScheduler();
  const board = new DiscoveryBoard();
  store = openStore(':memory:');
  const context = (id: string) => createTestContext({ id, scheduler, store, discovery: board.forComponent(id) });
  const checks = new FakeChecks();
  const receiver = createHealthCheckReceiver(
    healthCheckConfigSchema.parse({ collection_interval: '1s', timeout: '500ms', targets_from: ['registry'] }),
    context('health_check'),
    checks.factory,
  );
  const window = windowProcessor.create(windowProcessor.schema.parse({ size: '5s', aggregates: ['mean'] }), context('alerts/window'));
  const thresholdContext = context('alerts/threshold');
  const threshold = thresholdProcessor.create(
    thresholdProcessor.schema.parse({
      rules: [{ name: 'down', metric: 'healthcheck.state', above: { critical: 1.5 } }],
      no_data: '10s',
      expire_after: '30s',
    }),
    thresholdContext,
  );
  const cooldownContext = context('alerts/cooldown');
  const cooldown = cooldownProcessor.create(cooldownProcessor.schema.parse({ period: '60s' }), cooldownContext);
  const events: Array<{ at: number; event: HealthEvent }> = [];
  subscription = receiver.pipe(window, threshold, cooldown).subscribe((batch) => {
    for (const event of batch) events.push({ at: scheduler.now(), event });
  });
  const stored = () => ({
    levels: thresholdContext.storage.keyed(LEVELS_NAMESPACE).entries().length,
    alerts: cooldownContext.storage.keyed(RECORDS_NAMESPACE).entries().length,
  });
  return {
    checks,
    events,
    stored,
    advance: advancer(scheduler),
    publish: (instances: ServiceInstance[]) => board.publish('registry', { instances, stale: false }),
  };
}

describe('an instance that leaves the registry, end to end', () => {
  it('fires critical while it fails, resolves when removed, and never raises unknown, even after no_data and expire_after', async () => {
    const pipeline = alertsPipeline();
    pipeline.checks.script('api', { state: 'critical', duration: 0.01, message: 'connection refused' });
    pipeline.checks.script('db', { state: 'ok', duration: 0.01 });
    pipeline.publish([instance('api', 1), instance('db', 2)]);
    await pipeline.advance(11_000);
    expect(pipeline.events.map(({ event }) => `${event.service} ${event.level} ${event.state}`)).toEqual(['api critical firing']);
    expect(pipeline.stored()).toEqual({ levels: 1, alerts: 1 });

    pipeline.publish([instance('db', 2)]);
    await pipeline.advance(1000);
    expect(pipeline.checks.closed).toEqual(['api']);
    const resolve = pipeline.events[1]!.event;
    expect(resolve).toMatchObject({ service: 'api', level: 'info', previousLevel: 'critical', state: 'resolved', message: 'the instance left: no longer watched' });

    // Well past no_data (10s) and expire_after (30s) of api's last figure.
    await pipeline.advance(60_000);
    expect(pipeline.events).toHaveLength(2);
    expect(pipeline.events.some(({ event }) => event.level === 'unknown')).toBe(false);
    // Nothing of api is kept: not its level, not its alert.
    expect(pipeline.stored()).toEqual({ levels: 0, alerts: 0 });
  }, 60_000);
});
