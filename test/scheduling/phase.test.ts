import { describe, expect, it } from 'vitest';
import { firstStart, PHASE_STEP_MS, phaseOf } from '../../src/scheduling/phase.js';

describe('phaseOf', () => {
  it('is the same for the same key and interval, and lies within the interval', () => {
    for (const interval of [1, 100, 1000, 15_000]) {
      for (const key of ['', 'a', 'health_check api http://127.0.0.1:8080/health']) {
        const phase = phaseOf(key, interval);
        expect(phase).toBe(phaseOf(key, interval));
        expect(phase).toBeGreaterThanOrEqual(0);
        expect(phase).toBeLessThan(interval);
        expect(phase % PHASE_STEP_MS).toBe(0);
      }
    }
  });

  it('keeps phases on a 10 ms grid, so the targets due in one slot share a wake-up, and still uses every slot of a short interval', () => {
    expect(PHASE_STEP_MS).toBe(10);
    const phases = new Set(Array.from({ length: 200 }, (_, i) => phaseOf(`target ${i}`, 100)));
    expect([...phases].sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    // An interval that is no multiple of the step: the last slot still starts inside it.
    expect(Math.max(...Array.from({ length: 200 }, (_, i) => phaseOf(`target ${i}`, 25)))).toBe(20);
  });

  it('spreads a thousand keys that differ only in their last characters over the whole interval', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 1000; i++) buckets[Math.floor(phaseOf(`targets[${i}] api http://10.0.0.1:8080/health`, 1000) / 100)]!++;
    // A uniform spread puts 100 in each tenth; a clumping hash leaves tenths empty or doubled.
    for (const count of buckets) {
      expect(count).toBeGreaterThan(60);
      expect(count).toBeLessThan(140);
    }
  });
});

describe('firstStart', () => {
  it('is the next time at or after now whose offset in the interval is the phase, counted from the clock zero', () => {
    expect(firstStart(0, 1000, 250)).toBe(250);
    expect(firstStart(250, 1000, 250)).toBe(250);
    expect(firstStart(251, 1000, 250)).toBe(1250);
    expect(firstStart(1_700_000_000_123, 1000, 250)).toBe(1_700_000_000_250);
    expect(firstStart(1_700_000_000_900, 1000, 250)).toBe(1_700_000_001_250);
  });
});
