import type { z } from 'zod';
import type { ProblemCollector } from './collector.js';
import { describeIssues } from './issues.js';
import type { PathSegment } from './located.js';
import type { ConfigTree } from './tree.js';
import { valueAt } from './values.js';

/** Each retry replaces at least one value, so this only bounds pathological schemas. */
const MAX_STRING_RETRIES = 16;

/**
 * Validates the value at `prefix` with a schema and reports every issue at its position.
 *
 * `${env:PORT}` is re-read as YAML so it can be a number; where the schema wants a string
 * instead (a token of digits, say) the reference's text is used — the collector's rule —
 * so a variable's content never decides whether a string field is valid.
 */
export function validateAt<S extends z.ZodType>(
  schema: S,
  prefix: readonly PathSegment[],
  input: unknown,
  tree: ConfigTree,
  problems: ProblemCollector,
): { ok: true; value: z.output<S> } | { ok: false } {
  let candidate = input;
  for (let attempt = 0; ; attempt += 1) {
    const result = schema.safeParse(candidate);
    if (result.success) return { ok: true, value: result.data };
    const replacements = attempt < MAX_STRING_RETRIES ? stringsWanted(result.error.issues, prefix, candidate, tree) : [];
    if (replacements.length === 0) {
      for (const report of describeIssues(result.error.issues, schema, candidate)) {
        problems.at([...prefix, ...report.path], report.message, report.target, true);
      }
      return { ok: false };
    }
    candidate = withReplacements(candidate, replacements);
  }
}

function stringsWanted(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PathSegment[],
  candidate: unknown,
  tree: ConfigTree,
): Array<{ path: PathSegment[]; text: string }> {
  const wanted: Array<{ path: PathSegment[]; text: string }> = [];
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || issue.expected !== 'string') continue;
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    const text = tree.envTextAt([...prefix, ...path]);
    if (text !== undefined && valueAt(candidate, path) !== text) wanted.push({ path, text });
  }
  return wanted;
}

function withReplacements(root: unknown, replacements: ReadonlyArray<{ path: PathSegment[]; text: string }>): unknown {
  const whole = replacements.find(({ path }) => path.length === 0);
  if (whole !== undefined) return whole.text;
  const copy = structuredClone(root);
  for (const { path, text } of replacements) {
    const parent = valueAt(copy, path.slice(0, -1));
    if (parent !== null && typeof parent === 'object') (parent as Record<PathSegment, unknown>)[path[path.length - 1]!] = text;
  }
  return copy;
}
