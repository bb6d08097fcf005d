import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/config/index.js';
import { problemsOf, VALID_SERVICE, yaml } from './helpers.js';

describe('text from the file in problems', () => {
  it('shows control characters in keys as visible escapes, in the path and in the message', () => {
    const problems = problemsOf(
      yaml('receivers:', '  poller:', '    "\\e[31mred\\0\\x7f\\x9b\\t\\r\\n\\u202e": 1', 'exporters: { shipper: {} }', ...VALID_SERVICE),
    );
    const key = '\\x1b[31mred\\x00\\x7f\\x9b\\t\\r\\n\\u202e';
    expect(problems).toEqual([
      `pipeline.yaml:3:5: receivers.poller.${key}: unknown key "${key}"; allowed keys: collection_interval, port, token, targets`,
    ]);
  });

  it('never reach the terminal raw, whatever part of a problem holds them', () => {
    const line = formatProblem({ file: 'a\u001b.yaml', line: 1, column: 2, path: 'x.\u0000', message: 'bad "\u0085\ud800"' });
    expect(line).toBe('a\\x1b.yaml:1:2: x.\\x00: bad "\\x85\\ud800"');
    // Ordinary text, including non-ASCII letters and emoji, is left as written.
    expect(formatProblem({ path: 'labels.équipe', message: 'unknown key "🚀"' })).toBe('labels.équipe: unknown key "🚀"');
  });
});
