import { describe, expect, it } from 'vitest';
import { formatProblem, sortProblems } from '../../src/config/index.js';

describe('formatProblem', () => {
  it('shows file, 1-based line and column, path and message', () => {
    expect(
      formatProblem({
        file: 'pipeline.yaml',
        line: 7,
        column: 5,
        path: 'receivers.process.colection_interval',
        message: 'unknown key "colection_interval"',
      }),
    ).toBe('pipeline.yaml:7:5: receivers.process.colection_interval: unknown key "colection_interval"');
  });

  it('leaves out the parts a problem does not have', () => {
    expect(formatProblem({ file: 'missing.yaml', path: '', message: 'cannot read' })).toBe('missing.yaml: cannot read');
    expect(formatProblem({ file: 'a.yaml', line: 3, path: 'x', message: 'm' })).toBe('a.yaml:3: x: m');
    expect(formatProblem({ path: '', message: 'no configuration file given' })).toBe('no configuration file given');
  });
});

describe('sortProblems', () => {
  it('orders by file as given, then line, then column', () => {
    const sorted = sortProblems(
      [
        { file: 'b.yaml', line: 1, column: 1, path: '', message: 'b1' },
        { file: 'a.yaml', line: 9, column: 2, path: '', message: 'a9.2' },
        { file: 'a.yaml', line: 9, column: 1, path: '', message: 'a9.1' },
        { file: 'a.yaml', line: 2, column: 7, path: '', message: 'a2' },
      ],
      ['a.yaml', 'b.yaml'],
    );
    expect(sorted.map((problem) => problem.message)).toEqual(['a2', 'a9.1', 'a9.2', 'b1']);
  });
});
