import { afterEach, describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import type { EventBatch } from '../../../src/model/event.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { Clock, alert, cooldownOperator, resolved, storedAlerts, subscribedCooldown } from './fixtures.js';

/**
 * A restart is a new subscription on a new operator, with the same store: what the runtime
 * does after SIGTERM or SIGKILL (the store is a file there), or when a pipeline restarts.
 * The scheduler keeps running across, so the virtual clock says how long the agent was down.
 */
describe('cooldown processor: restart with the same store', () => {
  let store: Store;
  afterEach(() => store.close());

  const start = (config: Record<string, unknown>, scheduler: Clock) => subscribedCooldown(config, scheduler, store);

  it('does not repeat an alert inside its cooldown after a restart, and still sends an escalation', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const first = start({ period: '100ms' }, scheduler);
    first.input.next([alert('error')]);
    scheduler.advanceTo(10);
    first.subscription.unsubscribe();

    scheduler.advanceTo(30);
    const second = start({ period: '100ms' }, scheduler);
    second.input.next([alert('error')]);
    second.input.next([alert('critical', { previousLevel: 'error' })]);
    expect(first.out).toEqual([['api error firing']]);
    expect(second.out).toEqual([['api critical firing (was error)']]);
    expect(second.ctx.telemetry.counts.dropped).toBe(1);
  });

  it('sends the alert again after a restart once its period has passed', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const first = start({ period: '100ms' }, scheduler);
    first.input.next([alert('error')]);
    first.subscription.unsubscribe();
    scheduler.advanceTo(150);
    const second = start({ period: '100ms' }, scheduler);
    second.input.next([alert('error')]);
    expect(second.out).toEqual([['api error firing']]);
  });

  it('remembers a firing alert: its resolve goes out after a restart', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const first = start({ period: '100ms' }, scheduler);
    first.input.next([alert('error')]);
    first.subscription.unsubscribe();
    scheduler.advanceTo(500);
    const second = start({ period: '100ms' }, scheduler);
    second.input.next([resolved()]);
    expect(second.out).toEqual([['api info resolved']]);
  });

  it('re-arms the repeat of a firing alert after a restart', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const config = { period: '100ms', repeat_interval: '200ms' };
    const first = start(config, scheduler);
    first.input.next([alert('error')]);
    scheduler.advanceTo(10);
    first.subscription.unsubscribe();

    scheduler.advanceTo(50);
    const second = start(config, scheduler);
    scheduler.advanceTo(199);
    expect(second.out).toEqual([]);
    scheduler.advanceTo(200);
    scheduler.advanceTo(400);
    expect(second.out).toEqual([['api error firing @200'], ['api error firing @400']]);
    second.subscription.unsubscribe();
  });

  it('sends an overdue repeat at once when the agent was down past it', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const config = { period: '100ms', repeat_interval: '200ms' };
    const first = start(config, scheduler);
    first.input.next([alert('error')]);
    first.subscription.unsubscribe();
    scheduler.advanceTo(1000);
    const second = start(config, scheduler);
    scheduler.advanceTo(1000);
    expect(second.out).toEqual([['api error firing @1000']]);
    second.subscription.unsubscribe();
  });

  it('keeps a muted alert across a restart and sends it when its silence ends', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const config = { period: '100ms', silences: [{ matchers: { service: 'api' }, ends_at: new Date(300).toISOString(), comment: 'deploy' }] };
    const first = start(config, scheduler);
    first.input.next([alert('error')]);
    first.subscription.unsubscribe();
    scheduler.advanceTo(100);
    const second = start(config, scheduler);
    scheduler.advanceTo(300);
    expect(first.out).toEqual([]);
    expect(second.out).toEqual([['api error firing @300']]);
    second.subscription.unsubscribe();
  });

  it('expires a resolved alert a period after it resolved, also across a restart', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const first = start({ period: '100ms' }, scheduler);
    first.input.next([alert('error')]);
    scheduler.advanceTo(20);
    first.input.next([resolved()]);
    first.subscription.unsubscribe();
    expect(storedAlerts(first.ctx)).toEqual(['api/latency']);

    const second = start({ period: '100ms' }, scheduler);
    scheduler.advanceTo(119);
    expect(storedAlerts(second.ctx)).toEqual(['api/latency']);
    scheduler.advanceTo(120);
    expect(storedAlerts(second.ctx)).toEqual([]);
    second.subscription.unsubscribe();
  });

  it('restores what JSON cannot hold: an unknown alert’s NaN value and threshold', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const config = { period: '100ms', repeat_interval: '100ms' };
    const first = start(config, scheduler);
    const sent: number[] = [];
    first.input.next([{ ...alert('unknown'), value: Number.NaN, threshold: Number.NaN }]);
    first.subscription.unsubscribe();
    const { operator } = cooldownOperator(config, scheduler, store);
    const input = new Subject<EventBatch>();
    const subscription = input.pipe(operator).subscribe((batch) => sent.push(batch[0]!.value, batch[0]!.threshold));
    scheduler.advanceTo(100);
    expect(sent).toEqual([Number.NaN, Number.NaN]);
    subscription.unsubscribe();
  });
});
