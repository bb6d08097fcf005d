import { describe, expect, it } from 'vitest';
import { apiCpu, apiLatency, dbCpu, defaults, describeBatch, newTestScheduler, partial, point, windowOperator } from './fixtures.js';

// Virtual time: one frame is one millisecond, and the scheduler's clock starts at 0, so a
// window of 10ms covers the points stamped 0..9 and closes at frame 10.
describe('window processor: tumbling windows in virtual time', () => {
  it('emits a window when the scheduler reaches its end, stamped with the end', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms' }, testScheduler);
      const source = hot('a 3ms b', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 3, 4)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x', {
        x: defaults('api/cpu', 10, { mean: 2, min: 1, max: 3, last: 3, count: 2 }),
      });
    });
  });

  it('aligns windows to multiples of the size, not to the first point', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms' }, testScheduler);
      const source = hot('13ms a 3ms b 5ms c', {
        a: [point(apiCpu, 4, 13)],
        b: [point(apiCpu, 6, 17)],
        c: [point(apiCpu, 8, 22)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('20ms x 9ms y', {
        x: defaults('api/cpu', 20, { mean: 5, min: 4, max: 6, last: 6, count: 2 }),
        y: defaults('api/cpu', 30, { mean: 8, min: 8, max: 8, last: 8, count: 1 }),
      });
    });
  });

  it('puts every series that closes together into one batch', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['max'] }, testScheduler);
      const source = hot('a 4ms b', {
        a: [point(apiCpu, 0.5, 0), point(dbCpu, 0.25, 0)],
        b: [point(apiLatency, 0.125, 5), point(dbCpu, 0.75, 5)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x', {
        x: ['api/cpu max@10=0.5', 'db/cpu max@10=0.75', 'api/latency max@10=0.125'],
      });
    });
  });

  it('computes every aggregate, in the configured order', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const aggregates = ['sum', 'count', 'last', 'max', 'min', 'mean'];
      const { operator } = windowOperator({ size: '10ms', aggregates }, testScheduler);
      // `last` follows event time, not arrival: the point stamped 6 arrives before the one stamped 2.
      const source = hot('a 5ms b', {
        a: [point(apiCpu, 2, 1), point(apiCpu, -4, 0)],
        b: [point(apiCpu, 10, 6), point(apiCpu, 4, 2)],
      });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x', {
        x: ['sum@10=12', 'count@10=4', 'last@10=10', 'max@10=10', 'min@10=-4', 'mean@10=3'].map((s) => `api/cpu ${s}`),
      });
    });
  });

  it('emits nothing for a window without points', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['count'] }, testScheduler);
      const source = hot('a 24ms b', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 1, 25)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 19ms y', {
        x: ['api/cpu count@10=1'],
        y: ['api/cpu count@30=1'],
      });
    });
  });

  it('flushes open windows when the source completes, marked partial, then completes', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms' }, testScheduler);
      const source = cold('a 3ms b 2ms |', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 5, 4)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('7ms (x|)', {
        x: partial(defaults('api/cpu', 10, { mean: 3, min: 1, max: 5, last: 5, count: 2 })),
      });
    });
  });

  it('subscribes to its source once and releases it when the source completes', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const { operator } = windowOperator({ size: '10ms' }, testScheduler);
      const source = cold('a 3ms |', { a: [point(apiCpu, 1, 0)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('4ms (x|)', {
        x: partial(defaults('api/cpu', 10, { mean: 1, min: 1, max: 1, last: 1, count: 1 })),
      });
      expectSubscriptions(source.subscriptions).toBe('^ 3ms !');
    });
  });

  it('releases its source and cancels the close timer when unsubscribed', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const { operator } = windowOperator({ size: '10ms' }, testScheduler);
      const source = hot('a 10ms b', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 2, 11)] });
      // Unsubscribed at 5ms, before the window's end at 10ms: nothing is emitted, ever.
      expectObservable(source.pipe(operator, describeBatch), '^ 4ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^ 4ms !');
    });
  });

  it('flushes several open windows in one batch, oldest first', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['last'] }, testScheduler);
      // The second point is stamped ahead of the clock: its window is open, not late.
      const source = cold('a 1ms |', { a: [point(apiCpu, 1, 0), point(apiCpu, 2, 15)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('2ms (x|)', {
        x: partial(['api/cpu last@10=1', 'api/cpu last@20=2']),
      });
    });
  });

  it('keeps a window of a point stamped ahead of the clock open until its own end', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['last'] }, testScheduler);
      const source = hot('a', { a: [point(apiCpu, 2, 25), point(apiCpu, 1, 3)] });
      expectObservable(source.pipe(operator, describeBatch)).toBe('10ms x 19ms y', {
        x: ['api/cpu last@10=1'],
        y: ['api/cpu last@30=2'],
      });
    });
  });

  it('passes an error on without flushing', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms' }, testScheduler);
      const source = cold('a 2ms #', { a: [point(apiCpu, 1, 0)] }, new Error('boom'));
      expectObservable(source.pipe(operator, describeBatch)).toBe('3ms #', undefined, new Error('boom'));
    });
  });

  it('gives every subscriber its own state', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['count', 'sum'] }, testScheduler);
      const windowed = cold('a 1ms b', { a: [point(apiCpu, 1, 0)], b: [point(apiCpu, 2, 2)] }).pipe(operator, describeBatch);
      const once = { x: ['api/cpu count@10=2', 'api/cpu sum@10=3'] };
      expectObservable(windowed).toBe('10ms x', once);
      expectObservable(windowed).toBe('10ms x', once);
    });
  });

  it('emits gauges of the same name with the attribute aggregate, each derived series made once', () => {
    const testScheduler = newTestScheduler();
    testScheduler.run(({ hot, expectObservable }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['mean'] }, testScheduler);
      const source = hot('a 9ms b', { a: [point(apiLatency, 1, 0)], b: [point(apiLatency, 2, 10)] });
      const mean = apiLatency.with('aggregate', 'mean', 'gauge');
      expectObservable(source.pipe(operator)).toBe('10ms x 9ms y', {
        x: [{ series: mean, value: 1, time: 10 }],
        y: [{ series: mean, value: 2, time: 20 }],
      });
    });
    const mean = apiLatency.with('aggregate', 'mean', 'gauge');
    expect(mean.name).toBe('latency');
    expect(mean.kind).toBe('gauge');
    expect(mean.attributes).toEqual({ route: '/health', aggregate: 'mean' });
    expect(mean.resource).toBe(apiLatency.resource);
  });
});
