import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../src/model/event.js';
import { Clock, alert, describeEvent, probed, resolved, storedAlerts } from './fixtures.js';

/** A cooldown of period 100 on a stepped clock, with what it sent as readable lines. */
function run(overrides: Parameters<typeof probed>[2] = {}) {
  const clock = new Clock();
  const { operator, ctx, view } = probed(100, clock, overrides);
  const input = new Subject<EventBatch>();
  const sent: string[] = [];
  const subscription = input.pipe(operator).subscribe((batch) => sent.push(...batch.map(describeEvent)));
  return { clock, ctx, view, input, sent, subscription };
}

// The resolve threshold sends when a series' source left (HealthEvent.left): the alert is over
// for good, so the cooldown keeps nothing of it, not even for the period a resolve is kept.
describe('cooldown processor: the resolve of a series that left', () => {
  it('goes out at once and frees the alert in memory and in the store, leaving the others alone', () => {
    const { clock, ctx, view, input, sent, subscription } = run();
    input.next([alert('critical'), alert('error', { service: 'db' })]);
    clock.advanceTo(10);
    input.next([resolved({ left: true, time: 10 })]);
    expect(sent).toEqual(['api critical firing', 'db error firing', 'api info resolved @10 left']);
    expect(view().size).toBe(1);
    expect(storedAlerts(ctx)).toEqual(['db/latency']);
    subscription.unsubscribe();
  });

  it('frees an alert that was resolved already, at once rather than a period later', () => {
    const { clock, ctx, view, input, sent, subscription } = run();
    input.next([alert('error'), resolved()]);
    clock.advanceTo(10);
    input.next([resolved({ left: true, time: 10 })]);
    expect(sent).toEqual(['api error firing', 'api info resolved']);
    expect(view().size).toBe(0);
    expect(storedAlerts(ctx)).toEqual([]);
    subscription.unsubscribe();
  });

  it('frees it with send_resolved off too, sending nothing, and takes its next firing as a new alert at once', () => {
    const { clock, ctx, view, input, sent, subscription } = run({ sendResolved: false });
    input.next([alert('error')]);
    clock.advanceTo(10);
    input.next([resolved({ left: true, time: 10 })]);
    expect(view().size).toBe(0);
    expect(storedAlerts(ctx)).toEqual([]);
    clock.advanceTo(20);
    input.next([alert('error', { time: 20 })]);
    expect(sent).toEqual(['api error firing', 'api error firing @20']);
    subscription.unsubscribe();
  });

  it('sends nothing for an alert it never held', () => {
    const { input, sent, view, subscription } = run();
    input.next([resolved({ left: true })]);
    expect(sent).toEqual([]);
    expect(view().size).toBe(0);
    subscription.unsubscribe();
  });
});
