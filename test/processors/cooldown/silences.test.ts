import { describe, expect, it } from 'vitest';
import { alert, cooldownOperator, describeBatch, newTestScheduler, resolved } from './fixtures.js';

/** The virtual clock starts at the epoch: frame `ms` is this ISO time. */
const at = (ms: number): string => new Date(ms).toISOString();

describe('cooldown processor: silences', () => {
  it('mutes a matching alert and sends it when the silence ends, if it still fires; others pass', () => {
    const testScheduler = newTestScheduler();
    const silences = [{ matchers: { service: 'api' }, ends_at: at(50), comment: 'deploy of api' }];
    const { operator, ctx } = cooldownOperator({ period: '100ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms b 59ms a', { a: [alert('error')], b: [alert('error', { service: 'db' })] });
      // The state was kept: the firing sent at 50 starts its cooldown, so the one at 70 is a repeat.
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('10ms b 39ms x', {
        b: ['db error firing'],
        x: ['api error firing @50'],
      });
    });
    expect(ctx.telemetry.counts.dropped).toBe(1);
    expect(ctx.logs.records().some((record) => record['comment'] === 'deploy of api')).toBe(true);
  });

  it('sends nothing at the end of a silence for an alert that resolved meanwhile, and no resolve for a muted firing', () => {
    const testScheduler = newTestScheduler();
    const silences = [{ matchers: { rule: 'latency' }, ends_at: at(50), comment: 'maintenance' }];
    const { operator } = cooldownOperator({ period: '100ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms r', { a: [alert('error')], r: [resolved()] });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('');
    });
  });

  it('mutes an escalation but lets the resolve of a notified alert through', () => {
    const testScheduler = newTestScheduler();
    const silences = [{ matchers: { service: 'api' }, starts_at: at(5), ends_at: at(50), comment: 'maintenance' }];
    const { operator } = cooldownOperator({ period: '100ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms c 9ms r', { a: [alert('error')], c: [alert('critical', { previousLevel: 'error' })], r: [resolved()] });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('a 19ms r', {
        a: ['api error firing'],
        r: ['api info resolved'],
      });
    });
  });

  it('mutes nothing before starts_at, nor a level or team the silence does not name', () => {
    const testScheduler = newTestScheduler();
    const silences = [{ matchers: { team: 'payments', level: 'critical' }, starts_at: at(20), ends_at: at(40), comment: 'known overload' }];
    const { operator } = cooldownOperator({ period: '100ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 4ms c 19ms e', {
        a: [alert('critical', { service: 'db', labels: { team: 'payments' } })],
        // error does not match the silence's level: it goes out inside the silence; critical waits for its end.
        c: [alert('critical', { previousLevel: 'error' })],
        e: [alert('error', { service: 'web' })],
      });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('a 4ms c 19ms e', {
        a: ['db critical firing'],
        c: ['api critical firing (was error)'],
        e: ['web error firing'],
      });
    });
  });

  it('mutes by level and labels while the silence lasts', () => {
    const testScheduler = newTestScheduler();
    const silences = [{ matchers: { team: 'payments', level: 'critical' }, starts_at: at(20), ends_at: at(40), comment: 'known overload' }];
    const { operator } = cooldownOperator({ period: '100ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 24ms c', { a: [alert('error')], c: [alert('critical', { previousLevel: 'error' })] });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('a 39ms c', {
        a: ['api error firing'],
        c: ['api critical firing @40 (was error)'],
      });
    });
  });

  it('does not mute an alert whose labels differ, and treats a missing label as ""', () => {
    const testScheduler = newTestScheduler();
    const silences = [
      { matchers: { team: 'storage' }, ends_at: at(100), comment: 'other team' },
      { matchers: { zone: '' , service: 'db' }, ends_at: at(100), comment: 'db without zone' },
    ];
    const { operator } = cooldownOperator({ period: '100ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a', { a: [alert('error'), alert('error', { service: 'db' })] });
      expectObservable(source.pipe(operator, describeBatch), '^ 50ms !').toBe('a', { a: ['api error firing'] });
    });
  });

  it('mutes a muted alert’s escalation, then sends its current level when the silence ends', () => {
    const testScheduler = newTestScheduler();
    const silences = [{ matchers: { service: 'api' }, starts_at: at(5), ends_at: at(60), comment: 'maintenance' }];
    const { operator } = cooldownOperator({ period: '100ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a 9ms c', { a: [alert('error')], c: [alert('critical', { previousLevel: 'error' })] });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('a 59ms c', {
        a: ['api error firing'],
        c: ['api critical firing @60 (was error)'],
      });
    });
  });

  it('holds repeats during a silence and resumes them when it ends', () => {
    const testScheduler = newTestScheduler();
    const silences = [{ matchers: { service: 'api' }, starts_at: at(150), ends_at: at(450), comment: 'night' }];
    const { operator } = cooldownOperator({ period: '100ms', repeat_interval: '200ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('a', { a: [alert('error')] });
      expectObservable(source.pipe(operator, describeBatch), '^ 700ms !').toBe('a 449ms x 199ms y', {
        a: ['api error firing'],
        x: ['api error firing @450'],
        y: ['api error firing @650'],
      });
    });
  });

  it('ignores a silence that ended before the cooldown started', () => {
    const testScheduler = newTestScheduler();
    const silences = [{ matchers: { service: 'api' }, starts_at: '1969-12-31T00:00:00Z', ends_at: '1969-12-31T23:59:59Z', comment: 'old' }];
    const { operator } = cooldownOperator({ period: '100ms', silences }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      expectObservable(hot('a', { a: [alert('error')] }).pipe(operator, describeBatch), '^ 50ms !').toBe('a', { a: ['api error firing'] });
    });
  });
});

describe('cooldown processor: flapping', () => {
  it('passes a flapping event once per episode, even inside the cooldown', () => {
    const testScheduler = newTestScheduler();
    const { operator, ctx } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const f = [alert('error', { flapping: true })];
      const source = hot('a 9ms f 9ms f', { a: [alert('error')], f });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('a 9ms f', {
        a: ['api error firing'],
        f: ['api error firing flapping'],
      });
    });
    expect(ctx.telemetry.counts.dropped).toBe(1);
  });

  it('starts a new episode after an ordinary event', () => {
    const testScheduler = newTestScheduler();
    const { operator } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const f = [alert('error', { flapping: true })];
      const source = hot('f 9ms c 9ms f', { f, c: [alert('critical', { previousLevel: 'error' })] });
      expectObservable(source.pipe(operator, describeBatch), '^ 200ms !').toBe('f 9ms c 9ms f', {
        f: ['api error firing flapping'],
        c: ['api critical firing (was error)'],
      });
    });
  });

  it('sends no flapping resolve for an alert never notified', () => {
    const testScheduler = newTestScheduler();
    const { operator } = cooldownOperator({ period: '100ms' }, testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      expectObservable(hot('r', { r: [resolved({ flapping: true })] }).pipe(operator, describeBatch), '^ 50ms !').toBe('');
    });
  });
});
