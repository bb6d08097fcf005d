import { formatPath, PathPrefixSet, type PathSegment } from './located.js';
import { sortProblems, type ConfigProblem } from './problem.js';
import { SecretMatcher } from './secrets.js';
import type { ConfigTree } from './tree.js';

/** Gathers every problem of one load, positioned through the tree, so all are reported at once. */
export class ProblemCollector {
  private readonly problems: ConfigProblem[] = [];
  private readonly suppressed = new PathPrefixSet();
  /** Built at the first message to scrub and again after `protect`, not once per message. */
  private matcher: SecretMatcher | undefined;

  constructor(
    private readonly tree: ConfigTree,
    /** Text that must never show in a message: environment values and secret fields. */
    private readonly secrets: Set<string>,
  ) {}

  /** Secrets found after the collector was made: fields a component's schema marks secret. */
  protect(texts: Iterable<string>): void {
    for (const text of texts) this.secrets.add(text);
    this.matcher = undefined;
  }

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
      message: fromSchema ? (this.matcher ??= new SecretMatcher(this.secrets)).redact(message) : message,
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
