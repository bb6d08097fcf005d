import { parseDocument } from 'yaml';
import { expect } from 'vitest';

function cpuMilliseconds(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * Asserts that `work` on `text` costs at most a few times what yaml's own parse (without its quadratic key check) of
 * the same text costs, measured in the same run: a bound that holds on a loaded machine,
 * and that quadratic work (seconds where the parse takes milliseconds) fails clearly.
 */
export function expectParseLikeCost(text: string, work: () => void, factor = 4): void {
  const reference = cpuMilliseconds(() => parseDocument(text, { uniqueKeys: false }));
  const spent = cpuMilliseconds(work);
  expect(spent, `${spent.toFixed(0)} ms CPU against ${reference.toFixed(0)} ms for yaml's parseDocument`).toBeLessThan(factor * reference + 250);
}
