import { formatPath, PathPrefixSet, type PathSegment } from './located.js';
import { sortProblems, type ConfigProblem } from './problem.js';
import { redact } from './secrets.js';
import type { ConfigTree } from './tree.js';

/** Gathers every problem of one load, positioned through the tree, so all are reported at once. */
export class ProblemCollector {
  private readonly problems: ConfigProblem[] = [];
  private readonly suppressed = new PathPrefixSet();

  constructor(
    private readonly tree: ConfigTree,
    /** Text that must never show in a message: environment values and secret fields. */
    private readonly secrets: ReadonlySet<string>,
  ) {}

  /**
   * Reports a problem at `path`: at the key for key problems (unknown key, unknown type),
   * at the value otherwise. `fromSchema` marks text written by a schema, which may quote
   * the value it rejected, so it is scrubbed of secrets.
   */
  at(path: readonly PathSegment[], message: string, target: 'key' | 'value' = 'value', fromSchema = false): void {
    if (this.suppressed.hasPrefixOf(path)) return;
    const position = this.tree.locate(path, target);
    this.problems.push({
      ...(position === undefined ? {} : { file: position.file, line: position.line, column: position.column }),
      path: formatPath(path),
      message: fromSchema ? redact(message, this.secrets) : message,
    });
  }

  /** After a failed env reference, whatever a schema says about that value would only repeat it. */
  suppressBelow(path: readonly PathSegment[]): void {
    this.suppressed.add(path);
  }

  get count(): number {
    return this.problems.length;
  }

  sorted(fileOrder: readonly string[]): ConfigProblem[] {
    return sortProblems(this.problems, fileOrder);
  }
}
