import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/index.js';
import { apiCpu, dbCpu, newTestScheduler, point, windowOperator } from './fixtures.js';

describe('window processor: when closed windows go out', () => {
  it('emits the windows a batch closes after that batch’s points are added, not in the middle', () => {
    const testScheduler = newTestScheduler();
    const log: string[] = [];
    testScheduler.run(({ hot }) => {
      const { operator } = windowOperator({ size: '10ms', aggregates: ['max'] }, testScheduler);
      // A point whose value is read when the window adds it: the log shows when that happens.
      const watched: MetricPoint = Object.defineProperty({ ...point(dbCpu, 2, 10) }, 'value', {
        get: () => {
          log.push('point added');
          return 2;
        },
      });
      // The batch at frame 10 arrives before the window's timer and closes the window 0..9 itself.
      hot('a 9ms b', { a: [point(apiCpu, 1, 0)], b: [watched] })
        .pipe(operator)
        .subscribe((batch) => log.push(`emitted ${batch.length}`));
    });
    expect(log.slice(0, 2)).toEqual(['point added', 'emitted 1']);
  });
});
