import { describe, expect, it } from 'vitest';
import { alert, cooldownOperator, describeBatch, newTestScheduler, resolved } from './fixtures.js';

// Virtual time: one frame is one millisecond and the clock starts at 0. `^ 150ms !`
// unsubscribes at frame 151, so timers due later are not part of the expectation.
describe('cooldown processor: repeat versus new alert, in virtual time', () => {
  it('sends an escalation inside the cooldown at once and drops a repeat, counted', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms b 9ms c', {
        a: [alert('error')],
        b: [alert('critical', { previousLevel: 'error' })],
        c: [alert('error', { previousLevel: 'critical' })],
      });
      expectObservable(source.pipe(operator, describeBatch), '^ 50ms !').toBe('a 9ms b', {
        a: ['api error firing'],
        b: ['api critical firing (was error)'],
      });
    });
    expect(ctx.telemetry.counts.dropped).toBe(1);
    expect(ctx.logs.records().filter((record) => String(record['msg'] ?? record['message']).includes('repeats'))).toHaveLength(1);
  });

  it('sends a held level change when that level’s cooldown ends, if the alert still sits there', () => {
    const testScheduler = newTestScheduler();
    const { operator } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms b 9ms c', {
        a: [alert('error')],
        b: [alert('critical', { previousLevel: 'error' })],
        c: [alert('error', { previousLevel: 'critical' })],
      });
      // error was notified at 0, so the step back to error at 20 is held until 100.
      expectObservable(source.pipe(operator, describeBatch), '^ 250ms !').toBe('a 9ms b 89ms c', {
        a: ['api error firing'],
        b: ['api critical firing (was error)'],
        c: ['api error firing @100 (was critical)'],
      });
    });
  });

  it('makes no storm of a value wandering between warning and error', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const w = [alert('warning', { previousLevel: 'error' })];
      const e = [alert('error', { previousLevel: 'warning' })];
      const source = hot('w 9ms e 9ms w 9ms e 9ms w 9ms e 9ms w 9ms e', { w, e });
      expectObservable(source.pipe(operator, describeBatch), '^ 300ms !').toBe('w 9ms e', {
        w: ['api warning firing (was error)'],
        e: ['api error firing (was warning)'],
      });
    });
    expect(ctx.telemetry.counts.dropped).toBe(6);
  });

  it('sends a resolve once, and only for a firing that was notified', () => {
    const testScheduler = newTestScheduler();
    const { operator } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('r 9ms a 9ms r 9ms r', { r: [resolved()], a: [alert('error')] });
      expectObservable(source.pipe(operator, describeBatch), '^ 250ms !').toBe('10ms a 9ms r', {
        a: ['api error firing'],
        r: ['api info resolved'],
      });
    });
  });

  it('sends the first firing after a resolve at once, inside the period: a new alert', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms r 9ms a 9ms r 9ms a', { a: [alert('error')], r: [resolved()] });
      expectObservable(source.pipe(operator, describeBatch), '^ 250ms !').toBe('a 9ms r 9ms a 9ms r 9ms a', {
        a: ['api error firing'],
        r: ['api info resolved'],
      });
    });
    expect(ctx.telemetry.counts.dropped).toBe(0);
  });

  it('with send_resolved off, sends no resolve but still treats the next firing as a new alert', () => {
    const testScheduler = newTestScheduler();
    const { operator } = cooldownOperator({ period: '100ms', send_resolved: false }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms r 9ms a', { a: [alert('error')], r: [resolved()] });
      expectObservable(source.pipe(operator, describeBatch), '^ 250ms !').toBe('a 19ms a', { a: ['api error firing'] });
    });
  });

  it('keeps alerts apart by fingerprint: one alert’s cooldown does not hold another’s', () => {
    const testScheduler = newTestScheduler();
    const { operator } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms b', { a: [alert('error'), alert('error')], b: [alert('error', { service: 'db' }), alert('error')] });
      expectObservable(source.pipe(operator, describeBatch), '^ 50ms !').toBe('a 9ms b', {
        a: ['api error firing'],
        b: ['db error firing'],
      });
    });
  });

  it('re-sends a still-firing alert every repeat_interval, and stops once it resolves', () => {
    const testScheduler = newTestScheduler();
    const { operator } = cooldownOperator({ period: '100ms', repeat_interval: '200ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 499ms r', { a: [alert('error')], r: [resolved()] });
      expectObservable(source.pipe(operator, describeBatch), '^ 900ms !').toBe('a 199ms x 199ms y 99ms r', {
        a: ['api error firing'],
        x: ['api error firing @200'],
        y: ['api error firing @400'],
        r: ['api info resolved'],
      });
    });
  });

  it('counts a repeat from the last notification: an escalation moves the next repeat', () => {
    const testScheduler = newTestScheduler();
    const { operator } = cooldownOperator({ period: '100ms', repeat_interval: '200ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 149ms b', { a: [alert('error')], b: [alert('critical', { previousLevel: 'error' })] });
      expectObservable(source.pipe(operator, describeBatch), '^ 400ms !').toBe('a 149ms b 199ms x', {
        a: ['api error firing'],
        b: ['api critical firing (was error)'],
        x: ['api critical firing @350 (was error)'],
      });
    });
  });
});
