import { TestScheduler } from 'rxjs/testing';
import { switchMap, timer, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { delayInSteps, MAX_TIMER_STEP_MS } from '../../src/component/long-timer.js';

const DAY = 24 * 60 * 60 * 1000;
/** Node's largest timer delay; anything longer fires after 1 ms. */
const NODE_TIMER_LIMIT = 2 ** 31 - 1;

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The scheduler, recording the delay of every action scheduled on it. */
function recording(scheduler: SchedulerLike, delays: number[]): SchedulerLike {
  return {
    now: () => scheduler.now(),
    schedule: (work: never, delay?: number, state?: never) => {
      delays.push(delay ?? 0);
      return scheduler.schedule(work, delay, state);
    },
  } as SchedulerLike;
}

describe('delayInSteps', () => {
  it('waits 30 days exactly, in steps that each fit a Node timer', () => {
    const scheduler = testScheduler();
    const delays: number[] = [];
    scheduler.run(({ expectObservable }) => {
      expectObservable(delayInSteps(30 * DAY, recording(scheduler, delays))).toBe(`${30 * DAY}ms (a|)`, { a: 0 });
    });
    expect(delays).toEqual([MAX_TIMER_STEP_MS, 6 * DAY]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(NODE_TIMER_LIMIT);
  });

  it('is one plain timer for a short wait', () => {
    const scheduler = testScheduler();
    const delays: number[] = [];
    scheduler.run(({ expectObservable }) => {
      expectObservable(delayInSteps(5_000, recording(scheduler, delays))).toBe('5000ms (a|)', { a: 0 });
      expectObservable(delayInSteps(-1, scheduler)).toBe('(a|)', { a: 0 });
    });
    expect(delays).toEqual([5_000]);
  });

  it('never emits for Infinity, and unsubscribing cancels the pending step', () => {
    const scheduler = testScheduler();
    const delays: number[] = [];
    scheduler.run(({ expectObservable }) => {
      expectObservable(delayInSteps(Number.POSITIVE_INFINITY, recording(scheduler, delays)), `^ ${100 * DAY}ms !`).toBe('');
    });
    expect(delays.length).toBe(Math.ceil((100 * DAY) / MAX_TIMER_STEP_MS));
    expect(Math.max(...delays)).toBe(MAX_TIMER_STEP_MS);
  });

  it('starts counting at subscription, not when it is made', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const made = delayInSteps(25 * DAY, scheduler);
      expectObservable(timer(1_000, scheduler).pipe(switchMap(() => made))).toBe(`${1_000 + 25 * DAY}ms (a|)`, { a: 0 });
    });
  });
});
