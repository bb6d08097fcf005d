import { formatProblem, type ConfigProblem } from '../config/index.js';
import type { ErrorCode } from '../errors.js';

/**
 * What `validate` and `run` print for a configuration with problems, on stderr: one problem
 * a line (`file:line:col: path: message`), the summary `files: N problems`, and for `run`,
 * which refuses to start, the error code on a line of its own.
 */
export function printProblems(files: readonly string[], problems: readonly ConfigProblem[], code?: ErrorCode): void {
  let text = '';
  for (const problem of problems) text += `${formatProblem(problem)}\n`;
  text += `${files.join(', ')}: ${plural(problems.length, 'problem')}\n`;
  if (code !== undefined) text += `healthpipe: not started [${code}]\n`;
  process.stderr.write(text);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
