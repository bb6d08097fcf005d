import { describe, expect, it } from 'vitest';
import { cpuUtilization } from '../../../receivers/process/utilization.js';

describe('cpuUtilization', () => {
  it('divides by the core count: one busy core of two is 0.5, not 1 (a bug of the ancestor)', () => {
    expect(cpuUtilization(1, 1000, 2)).toBe(0.5);
    expect(cpuUtilization(2, 1000, 2)).toBe(1);
    expect(cpuUtilization(0.5, 1000, 4)).toBe(0.125);
    expect(cpuUtilization(3, 15_000, 1)).toBe(0.2);
  });

  it('is 0 for an idle process and never above 1', () => {
    expect(cpuUtilization(0, 15_000, 8)).toBe(0);
    expect(cpuUtilization(2.01, 1000, 2)).toBe(1);
  });

  it('has no value without an interval or with a counter that went back', () => {
    expect(cpuUtilization(Number.NaN, Number.NaN, 2)).toBeUndefined();
    expect(cpuUtilization(1, 0, 2)).toBeUndefined();
    expect(cpuUtilization(-1, 1000, 2)).toBeUndefined();
    expect(cpuUtilization(1, 1000, 0)).toBeUndefined();
  });
});
