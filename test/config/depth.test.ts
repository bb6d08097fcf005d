import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH } from '../../src/config/limits.js';
import { problemsOf, yaml } from './helpers.js';

const TOO_DEEP = `nested deeper than ${MAX_NESTING_DEPTH} levels of maps and lists`;

/** `k0:` / ` k1:` / `  k2:` …: block maps, one level per line. */
function blockMaps(levels: number): string {
  return yaml(...Array.from({ length: levels }, (_, level) => `${' '.repeat(level)}k${level}:`).slice(0, -1), `${' '.repeat(levels - 1)}k${levels - 1}: 1`);
}

describe('deep nesting', () => {
  it('is allowed up to the bound', () => {
    for (const text of [blockMaps(MAX_NESTING_DEPTH), `${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}\n`]) {
      expect(problemsOf(text).some((problem) => problem.includes(TOO_DEEP))).toBe(false);
    }
  });

  it('is one problem where the bound is crossed, in flow and block style', () => {
    const levels = MAX_NESTING_DEPTH + 1;
    // Under `receivers:`, the first bracket is already the second level.
    expect(problemsOf(blockMaps(levels))).toEqual([`pipeline.yaml:${levels}:${levels}: ${TOO_DEEP}`]);
    expect(problemsOf(`receivers: ${'['.repeat(levels)}${']'.repeat(levels)}\n`)).toEqual([`pipeline.yaml:1:${11 + MAX_NESTING_DEPTH}: ${TOO_DEEP}`]);
    expect(problemsOf(`receivers: ${'{a: '.repeat(levels)}1${'}'.repeat(levels)}\n`)).toEqual([
      `pipeline.yaml:1:${8 + 4 * MAX_NESTING_DEPTH}: ${TOO_DEEP}`,
    ]);
    expect(problemsOf(yaml(...Array.from({ length: levels }, (_, level) => `${'  '.repeat(level)}- `), `${'  '.repeat(levels)}1`))).toEqual([
      `pipeline.yaml:${levels}:${2 * MAX_NESTING_DEPTH + 1}: ${TOO_DEEP}`,
    ]);
  });

  it('never overflows the stack, however deep', () => {
    // Today: "YAML syntax error: Maximum call stack size exceeded" at 882:882 or 1:787.
    for (const text of [blockMaps(5_000), `a: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`, `${'- '.repeat(100_000)}1\n`]) {
      const problems = problemsOf(text);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^pipeline\\.yaml:\\d+:\\d+: ${TOO_DEEP}$`));
    }
  });

  it('counts the levels that aliases add, at the alias', () => {
    const half = MAX_NESTING_DEPTH / 2 + 1;
    const nested = `${'['.repeat(half)}${']'.repeat(half)}`;
    expect(problemsOf(yaml(`a: &deep ${nested}`, `b: ${'['.repeat(half)}*deep${']'.repeat(half)}`))).toEqual([
      `pipeline.yaml:2:${4 + half}: ${TOO_DEEP} once the alias *deep is expanded`,
    ]);
  });
});
