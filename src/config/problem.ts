import { printable } from './printable.js';

/** One thing wrong with the configuration, pointing at the spot in the file. */
export interface ConfigProblem {
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Dotted key path, e.g. `service.pipelines.metrics.receivers[1]`; empty when the problem is the file itself. */
  path: string;
  message: string;
}

/**
 * `pipeline.yaml:7:5: receivers.process.colection_interval: unknown key "colection_interval"`.
 * Keys in the path and the message come from the file: escaped here, where every problem
 * becomes text, so no caller can print a raw terminal escape.
 */
export function formatProblem(problem: ConfigProblem): string {
  let location = problem.file ?? '';
  if (problem.line !== undefined) {
    location += `${location === '' ? '' : ':'}${problem.line}`;
    if (problem.column !== undefined) location += `:${problem.column}`;
  }
  return [location, problem.path, problem.message]
    .filter((part) => part !== '')
    .map(printable)
    .join(': ');
}

/**
 * Orders problems as a reader walks the files: files in the order given, then line and
 * column; problems without a position come first in their file (they concern the whole file).
 */
export function sortProblems(problems: readonly ConfigProblem[], fileOrder: readonly string[]): ConfigProblem[] {
  const rank = (file: string | undefined): number => {
    const index = file === undefined ? -1 : fileOrder.indexOf(file);
    return index === -1 ? fileOrder.length : index;
  };
  return [...problems].sort(
    (a, b) =>
      rank(a.file) - rank(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}
