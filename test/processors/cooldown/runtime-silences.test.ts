import { afterEach, describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import type { EventBatch } from '../../../src/model/event.js';
import type { SilenceInit } from '../../../src/component/silences.js';
import { openStore, type Store } from '../../../src/storage/index.js';
import { StoredSilenceBook } from '../../../src/alerts/silence-book.js';
import { Clock, alert, cooldownOperator, describeBatch, newTestScheduler, probed, resolved, subscribedCooldown } from './fixtures.js';

/** A silence made through the agent's book (what the HTTP API does), not configured. */
function silence(matchers: Record<string, string>, startsAt: number, endsAt: number): SilenceInit {
  return { matchers, startsAt, endsAt, comment: 'made at run time' };
}

describe('cooldown processor: run-time silences (context.silences)', () => {
  it('mutes matching firing notifications from the silence’s creation, and sends the held level at its end', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      testScheduler.schedule(() => ctx.silences.create(silence({ service: 'api' }, 20, 60)), 20);
      const source = hot('a 29ms (cd)', {
        a: [alert('error')],
        c: [alert('critical', { previousLevel: 'error' })],
        d: [alert('error', { service: 'db' })],
      });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('a 29ms d 29ms x', {
        a: ['api error firing'],
        d: ['db error firing'],
        x: ['api critical firing @60 (was error)'],
      });
    });
    expect(ctx.logs.records().some((record) => record['comment'] === 'made at run time' && typeof record['silence_id'] === 'string')).toBe(true);
  });

  it('sends a still-firing alert the receiver was not told of when its silence is expired early', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      let id = '';
      testScheduler.schedule(() => (id = ctx.silences.create(silence({ rule: 'latency' }, 0, 1_000_000)).id), 5);
      testScheduler.schedule(() => expect(ctx.silences.expire(id)).toBeDefined(), 40);
      const source = hot('10ms a', { a: [alert('error')] });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('40ms x', { x: ['api error firing @40'] });
    });
    expect(ctx.silences.list()).toEqual([]);
  });

  it('never mutes the resolve of a notified alert', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      testScheduler.schedule(() => ctx.silences.create(silence({ service: 'api' }, 5, 1_000_000)), 5);
      const source = hot('a 9ms r', { a: [alert('error')], r: [resolved()] });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('a 9ms r', {
        a: ['api error firing'],
        r: ['api info resolved'],
      });
    });
  });

  it('mutes nothing before a pending silence starts, and sends nothing at its end for an alert that resolved meanwhile', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      testScheduler.schedule(() => ctx.silences.create(silence({ service: 'api' }, 30, 80)), 5);
      // Firing at 10 goes out (not yet begun); the escalation at 40 is muted and resolves at 60, muted: nothing at 80.
      const source = hot('10ms a 29ms c 19ms r', {
        a: [alert('error')],
        c: [alert('critical', { previousLevel: 'error' })],
        r: [resolved()],
      });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('10ms a 49ms r', {
        a: ['api error firing'],
        r: ['api info resolved'],
      });
    });
  });

  it('holds repeats while a run-time silence lasts and resumes them when it ends', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms', repeat_interval: '200ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      testScheduler.schedule(() => ctx.silences.create(silence({ level: 'error' }, 150, 450)), 100);
      expectObservable(hot('a', { a: [alert('error')] }).pipe(operator, describeBatch), '^ 700ms !').toBe('a 449ms x 199ms y', {
        a: ['api error firing'],
        x: ['api error firing @450'],
        y: ['api error firing @650'],
      });
    });
  });
});

describe('cooldown processor: run-time silences across a restart', () => {
  let store: Store;
  afterEach(() => store.close());

  const start = (scheduler: Clock) => subscribedCooldown({ period: '100ms' }, scheduler, store);

  it('keeps muting after a restart, and sends the muted alert when the silence ends', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const first = start(scheduler);
    first.ctx.silences.create(silence({ service: 'api' }, 0, 300));
    first.input.next([alert('error')]);
    first.subscription.unsubscribe();
    scheduler.advanceTo(100);

    const second = start(scheduler);
    second.input.next([alert('error')]);
    scheduler.advanceTo(299);
    expect([...first.out, ...second.out]).toEqual([]);
    scheduler.advanceTo(300);
    expect(second.out).toEqual([['api error firing @300']]);
    second.subscription.unsubscribe();
  });

  it('sends once at the end when the book announces it too (a book with a scheduler), and honours an expiry of another book user', () => {
    store = openStore(':memory:');
    const scheduler = new Clock();
    const book = new StoredSilenceBook(store.component('healthpipe').keyed('silences'), scheduler);
    const { operator } = probed(100, scheduler, { runtimeSilences: book });
    const out: string[][] = [];
    const input = new Subject<EventBatch>();
    const subscription = input.pipe(operator, describeBatch).subscribe((batch) => out.push(batch));
    book.create(silence({ service: 'api' }, 0, 50));
    const other = book.create(silence({ service: 'db' }, 0, 1_000));
    input.next([alert('error'), alert('error', { service: 'db' })]);
    scheduler.advanceTo(50);
    expect(out).toEqual([['api error firing @50']]);
    scheduler.advanceTo(70);
    book.expire(other.id);
    expect(out).toEqual([['api error firing @50'], ['db error firing @70']]);
    scheduler.advanceTo(2_000);
    expect(out).toHaveLength(2);
    subscription.unsubscribe();
    book.close();
  });
});
