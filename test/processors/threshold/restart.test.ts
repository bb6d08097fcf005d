import { afterEach, describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import type { EventBatch, HealthEvent } from '../../../src/model/event.js';
import type { MetricBatch } from '../../../src/model/point.js';
import { HealthpipeError } from '../../../src/errors.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { cooldownProcessor } from '../../../processors/cooldown/index.js';
import { thresholdProcessor } from '../../../processors/threshold/index.js';
import { LEVELS_NAMESPACE } from '../../../processors/threshold/stored-level.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { failingStorage } from '../../helpers/failing-storage.js';
import { Clock } from '../cooldown/fixtures.js';
import { apiLatency, at, dbLatency, describeEvent, latencyRule, thresholdOperator } from './fixtures.js';

const CONFIG = { rules: [latencyRule()] };

/**
 * A restart is a new subscription on a new operator with the same store, as after SIGTERM
 * or SIGKILL (the store is a file there): nothing is written on the way down. The clock
 * keeps running across, so it says how long the agent was down.
 */
describe('threshold processor: restart with the same store', () => {
  let store: Store;
  afterEach(() => store.close());

  function start(config: Record<string, unknown>, clock: Clock) {
    const { operator, ctx } = thresholdOperator(config, clock, store);
    const input = new Subject<MetricBatch>();
    const events: HealthEvent[] = [];
    const out: string[] = [];
    const subscription = input.pipe(operator).subscribe((batch: EventBatch) => {
      for (const event of batch) {
        events.push(event);
        out.push(`${clock.now()}: ${describeEvent(event)}`);
      }
    });
    /** One window mean of `value` at the clock's time. */
    const point = (value: number, series = apiLatency) => input.next([at(series, value, clock.now())]);
    return { input, out, events, subscription, ctx, point };
  }

  function stored(ctx: TestContext): string[] {
    return ctx.storage
      .keyed(LEVELS_NAMESPACE)
      .entries<{ service: string; level: string }>()
      .map(([, record]) => `${record.service} ${record.level}`);
  }

  /** A first run in which api's latency fires at `error` at t = 10, then a SIGKILL. */
  function firedThenKilled(config: Record<string, unknown>, clock: Clock) {
    const first = start(config, clock);
    clock.advanceTo(10);
    first.point(0.7);
    first.subscription.unsubscribe();
    expect(first.out).toEqual(['10: api latency info→error firing']);
    return first;
  }

  it('resolves an alert once when the service recovered while the agent was down', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const first = firedThenKilled(CONFIG, clock);
    clock.advanceTo(60_000);
    const second = start(CONFIG, clock);
    second.point(0.1);
    clock.advanceTo(70_000);
    second.point(0.1);
    expect(second.out).toEqual(['60000: api latency error→info resolved']);
    // Under the fingerprint and labels the firing went out with.
    expect(second.events[0]!.fingerprint).toBe(first.events[0]!.fingerprint);
    expect(second.events[0]!.labels).toEqual(first.events[0]!.labels);
    // Back at info, nothing is left to remember.
    expect(stored(second.ctx)).toEqual([]);
    second.subscription.unsubscribe();
  });

  it('sends no new firing for a service still bad after a restart, and one resolve when it recovers', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    firedThenKilled(CONFIG, clock);
    clock.advanceTo(60_000);
    const second = start(CONFIG, clock);
    second.point(0.7);
    clock.advanceTo(70_000);
    second.point(0.6);
    expect(second.out).toEqual([]);
    clock.advanceTo(80_000);
    second.point(0.1);
    expect(second.out).toEqual(['80000: api latency error→info resolved']);
    second.subscription.unsubscribe();
  });

  it('still sends an escalation after a restart', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    firedThenKilled(CONFIG, clock);
    clock.advanceTo(60_000);
    const second = start(CONFIG, clock);
    second.point(1.5);
    expect(second.out).toEqual(['60000: api latency error→critical firing']);
    expect(stored(second.ctx)).toEqual(['api critical']);
    second.subscription.unsubscribe();
  });

  it('resolves a stored alert whose series never comes back expire_after after it was last seen', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const options = { rules: [latencyRule()], expire_after: '1h' };
    firedThenKilled(options, clock);
    clock.advanceTo(60_000);
    const second = start(options, clock);
    // db is watched meanwhile and stays at info: it neither delays nor hastens api's expiry.
    second.point(0.1, dbLatency);
    clock.advanceTo(3_600_009);
    expect(second.out).toEqual([]);
    clock.advanceTo(3_600_010);
    expect(second.out).toEqual(['3600010: api latency error→unknown resolved']);
    expect(second.events[0]!.message).toBe('no data for 1h: no longer watched');
    expect(stored(second.ctx)).toEqual([]);
    second.subscription.unsubscribe();
  });

  it('makes a stored series that does not come back unknown no_data after the restart, then resolves it at expiry', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const options = { rules: [latencyRule()], no_data: '2m', expire_after: '1h' };
    firedThenKilled(options, clock);
    clock.advanceTo(600_000);
    const second = start(options, clock);
    // Not at once although it was last seen 10 min ago: the window needs time after a restart.
    clock.advanceTo(719_999);
    expect(second.out).toEqual([]);
    clock.advanceTo(3_600_010);
    expect(second.out).toEqual(['720000: api latency error→unknown firing', '3600010: api latency unknown→unknown resolved']);
    second.subscription.unsubscribe();
  });

  it('forgets at once, with one resolve, a stored alert whose series was last seen longer than expire_after ago', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const options = { rules: [latencyRule()], no_data: '2m', expire_after: '1h' };
    firedThenKilled(options, clock);
    clock.advanceTo(7_200_000);
    const second = start(options, clock);
    clock.advanceTo(7_200_000);
    expect(second.out).toEqual(['7200000: api latency error→unknown resolved']);
    expect(stored(second.ctx)).toEqual([]);
    second.subscription.unsubscribe();
  });

  it('resolves a stored alert whose rule is gone from the configuration', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    firedThenKilled(CONFIG, clock);
    clock.advanceTo(60_000);
    const second = start({ rules: [{ name: 'other', metric: 'healthcheck.duration', above: { error: 5 } }] }, clock);
    clock.advanceTo(60_000);
    expect(second.out).toEqual(['60000: api latency error→unknown resolved']);
    expect(stored(second.ctx)).toEqual([]);
    second.subscription.unsubscribe();
  });

  it('takes up at most max_series stored states, the most recently seen, and resolves the others', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const first = start(CONFIG, clock);
    clock.advanceTo(10);
    first.point(0.7);
    clock.advanceTo(20);
    first.point(0.7, dbLatency);
    first.subscription.unsubscribe();
    clock.advanceTo(60_000);
    const second = start({ rules: [latencyRule()], max_series: 1 }, clock);
    clock.advanceTo(60_000);
    expect(second.out).toEqual(['60000: api latency error→unknown resolved']);
    second.point(0.1, dbLatency);
    expect(second.out.slice(1)).toEqual(['60000: db latency error→info resolved']);
    second.subscription.unsubscribe();
  });

  it('resolves under the labels the alert went out with when the rule\'s labels changed, and fires later ones under the new', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    firedThenKilled({ rules: [latencyRule({ labels: { team: 'a' } })] }, clock);
    clock.advanceTo(60_000);
    const second = start({ rules: [latencyRule({ labels: { team: 'b' } })] }, clock);
    second.point(0.1);
    clock.advanceTo(70_000);
    second.point(0.7);
    expect(second.events.map((event) => `${event.state} ${event.labels['team']}`)).toEqual(['resolved a', 'firing b']);
    expect(second.events[0]!.fingerprint).not.toBe(second.events[1]!.fingerprint);
    second.subscription.unsubscribe();
  });

  it('gets a recovery through cooldown after a SIGKILL, so the sinks stop re-sending the alert', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const run = () => {
      const { operator } = thresholdOperator(CONFIG, clock, store);
      const ctx = createTestContext({ id: 'alerts/cooldown', scheduler: clock, store });
      const cooldown = cooldownProcessor.create(cooldownProcessor.schema.parse({ period: '1m' }), ctx);
      const input = new Subject<MetricBatch>();
      const out: string[] = [];
      const subscription = input.pipe(operator, cooldown).subscribe((batch) => out.push(...batch.map(describeEvent)));
      return { input, out, subscription };
    };
    const first = run();
    clock.advanceTo(10);
    first.input.next([at(apiLatency, 0.7, 10)]);
    first.subscription.unsubscribe();
    clock.advanceTo(60_000);
    const second = run();
    second.input.next([at(apiLatency, 0.1, 60_000)]);
    expect([...first.out, ...second.out]).toEqual(['api latency info→error firing', 'api latency error→info resolved']);
    second.subscription.unsubscribe();
  });

  it('writes only when an event goes out, never per point', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const ctx = createTestContext({ id: 'threshold', scheduler: clock, store });
    const storage = failingStorage(ctx.storage, Infinity);
    const operator = thresholdProcessor.create(thresholdProcessor.schema.parse(CONFIG), { ...ctx, storage });
    const input = new Subject<MetricBatch>();
    input.pipe(operator).subscribe();
    for (let t = 10; t <= 100; t += 10) {
      clock.advanceTo(t);
      input.next([at(apiLatency, t === 50 ? 0.7 : 0.6, t), at(dbLatency, 0.1, t)]);
    }
    // api's one change wrote one record; a second write would be the per-point path's.
    expect(ctx.storage.keyed(LEVELS_NAMESPACE).entries()).toHaveLength(1);
    expect(storage.writes).toBe(1);
  });
});

describe('threshold processor: levels and events in one transaction', () => {
  let store: Store;
  afterEach(() => store.close());

  it('emits nothing and fails with a STORAGE error when the store fails inside the transaction', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const ctx = createTestContext({ id: 'alerts/threshold', scheduler: clock, store });
    const operator = thresholdProcessor.create(thresholdProcessor.schema.parse(CONFIG), { ...ctx, storage: failingStorage(ctx.storage) });
    const input = new Subject<MetricBatch>();
    const out: EventBatch[] = [];
    const errors: unknown[] = [];
    input.pipe(operator).subscribe({ next: (batch) => out.push(batch), error: (error: unknown) => errors.push(error) });
    clock.advanceTo(10);
    input.next([at(apiLatency, 0.7, 10)]);
    expect(out).toEqual([]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as HealthpipeError).code).toBe('STORAGE');
    expect((errors[0] as HealthpipeError).message).toContain('alerts/threshold');
  });

  it('records nothing of a step whose second write fails, so the next run fires both alerts again', () => {
    store = openStore(':memory:');
    const clock = new Clock();
    const ctx = createTestContext({ id: 'threshold', scheduler: clock, store });
    const operator = thresholdProcessor.create(thresholdProcessor.schema.parse(CONFIG), { ...ctx, storage: failingStorage(ctx.storage, 1) });
    const input = new Subject<MetricBatch>();
    const errors: unknown[] = [];
    input.pipe(operator).subscribe({ error: (error: unknown) => errors.push(error) });
    clock.advanceTo(10);
    input.next([at(apiLatency, 0.7, 10), at(dbLatency, 0.7, 10)]);
    expect(errors).toHaveLength(1);
    expect(ctx.storage.keyed(LEVELS_NAMESPACE).entries()).toEqual([]);

    const again = thresholdOperator(CONFIG, clock, store);
    const retried = new Subject<MetricBatch>();
    const out: string[] = [];
    retried.pipe(again.operator).subscribe((batch) => out.push(...batch.map(describeEvent)));
    clock.advanceTo(20);
    retried.next([at(apiLatency, 0.7, 20), at(dbLatency, 0.7, 20)]);
    expect(out).toEqual(['api latency info→error firing', 'db latency info→error firing']);
  });
});
