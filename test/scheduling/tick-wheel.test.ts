import { describe, expect, it } from 'vitest';
import { TickWheel, type Tickable } from '../../src/scheduling/tick-wheel.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

describe('TickWheel', () => {
  it('ticks each item at its time, same times first come first served, a withdrawn or replaced slot never, on one scheduled action', () => {
    const scheduler = new SteppingScheduler();
    const wheel = new TickWheel(scheduler);
    const ticks: string[] = [];
    const item = (name: string): Tickable => ({ tick: (planned) => ticks.push(`${name}@${planned}/${scheduler.now()}`) });
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(item) as [Tickable, Tickable, Tickable, Tickable, Tickable];
    wheel.add(a, 30);
    wheel.add(b, 10);
    wheel.add(c, 10);
    wheel.add(d, 20);
    wheel.add(e, 5);
    wheel.withdraw(d);
    wheel.add(a, 15); // replaces a's slot at 30
    expect(scheduler.actions).toHaveLength(1);
    scheduler.advanceTo(100);
    expect(ticks).toEqual(['e@5/5', 'b@10/10', 'c@10/10', 'a@15/15']);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('schedules nothing more once stopped', () => {
    const scheduler = new SteppingScheduler();
    const wheel = new TickWheel(scheduler);
    const ticks: number[] = [];
    wheel.add({ tick: (planned) => ticks.push(planned) }, 10);
    wheel.stop();
    scheduler.advanceTo(100);
    expect(ticks).toEqual([]);
    expect(scheduler.actions).toHaveLength(0);
  });
});
