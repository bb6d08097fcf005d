import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/cli/sparkline.js';

describe('sparkline', () => {
  it('scales from the lowest value to the highest, one bar per value', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 80)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 20, 10], 80)).toBe('▁█▁');
  });

  it('shows a step without data as a gap', () => {
    expect(sparkline([1, undefined, 3], 80)).toBe('▁ █');
  });

  it('draws a flat series in the middle, not as nothing or everything', () => {
    expect(sparkline([5, 5, 5], 80)).toBe('▄▄▄');
  });

  it('fits a long series into the width, keeping the highest value of each run so a spike shows', () => {
    const values = Array.from({ length: 100 }, (_, index) => (index === 57 ? 100 : 1));
    const line = sparkline(values, 10);
    expect(line).toHaveLength(10);
    expect(line).toBe('▁▁▁▁▁█▁▁▁▁');
  });

  it('is blank when there is no data at all, and empty for no steps', () => {
    expect(sparkline([undefined, undefined], 80)).toBe('  ');
    expect(sparkline([], 80)).toBe('');
  });
});
