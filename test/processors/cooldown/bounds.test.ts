import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import type { EventBatch } from '../../../src/model/event.js';
import { Clock, alert, cooldownOperator, describeBatch, newTestScheduler, probed, resolved, storedAlerts } from './fixtures.js';

describe('cooldown processor: bounded, expiring state', () => {
  it('holds at most max_alerts alerts; events of further alerts pass without cooldown, logged once', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms', max_alerts: 2 }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const all = [alert('error', { service: 'a' }), alert('error', { service: 'b' }), alert('error', { service: 'c' })];
      const source = hot('x 9ms x 9ms r', { x: all, r: [resolved({ service: 'c' })] });
      // a and b are tracked: their second firing is a repeat. c is not: it passes every time, its resolve too.
      expectObservable(source.pipe(operator, describeBatch), '^ 50ms !').toBe('a 9ms c 9ms r', {
        a: ['a error firing', 'b error firing', 'c error firing'],
        c: ['c error firing'],
        r: ['c info resolved'],
      });
    });
    expect(storedAlerts(ctx)).toEqual(['a/latency', 'b/latency']);
    expect(ctx.logs.records().filter((record) => record['max_alerts'] === 2)).toHaveLength(1);
  });

  it('forgets a resolved alert a period after it resolved, in memory and in the store', () => {
    const scheduler = new Clock();
    const { operator, ctx, view } = probed(100, scheduler);
    const input = new Subject<EventBatch>();
    const subscription = input.pipe(operator).subscribe();
    input.next([alert('error'), alert('error', { service: 'db' })]);
    scheduler.advanceTo(10);
    input.next([resolved()]);
    scheduler.advanceTo(109);
    expect(view().size).toBe(2);
    scheduler.advanceTo(110);
    // The firing alert stays, however long it fires; the resolved one is gone.
    expect(view().size).toBe(1);
    expect(storedAlerts(ctx)).toEqual(['db/latency']);
    subscription.unsubscribe();
  });

  it('does not move a resolved alert’s expiry when the resolve is repeated', () => {
    const scheduler = new Clock();
    const { operator, ctx } = probed(100, scheduler);
    const input = new Subject<EventBatch>();
    const subscription = input.pipe(operator).subscribe();
    input.next([alert('error'), resolved()]);
    scheduler.advanceTo(50);
    input.next([resolved()]);
    scheduler.advanceTo(100);
    expect(storedAlerts(ctx)).toEqual([]);
    subscription.unsubscribe();
  });

  it('keeps its timer queue bounded by the alerts under a fire/resolve storm', () => {
    const scheduler = new Clock();
    const { operator, ctx, view } = probed(60_000, scheduler);
    const input = new Subject<EventBatch>();
    let sent = 0;
    const subscription = input.pipe(operator).subscribe((batch) => (sent += batch.length));
    // db's expiry is the earliest entry and stays live, so api's stale entries pile up behind it.
    input.next([alert('error', { service: 'db' }), resolved({ service: 'db' })]);
    for (let step = 1; step <= 5000; step++) {
      scheduler.advanceTo(step);
      input.next([alert('error'), resolved()]);
    }
    // Each resolve moved the alert's expiry: 5,000 entries without compaction.
    expect(view().scheduled).toBeLessThan(1100);
    expect(sent).toBe(10_002);
    scheduler.advanceTo(5000 + 60_000);
    expect(view().size).toBe(0);
    expect(storedAlerts(ctx)).toEqual([]);
    subscription.unsubscribe();
  });
});
