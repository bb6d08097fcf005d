import type { z } from 'zod';
import type { ProblemCollector } from './collector.js';
import { describeIssues } from './issues.js';
import type { PathSegment } from './located.js';
import { redact } from './secrets.js';
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
 *
 * A schema that throws (a plugin's buggy refine or transform) is one problem at `prefix`,
 * naming `owner`, so the rest of the configuration is still checked.
 */
export function validateAt<S extends z.ZodType>(
  schema: S,
  prefix: readonly PathSegment[],
  input: unknown,
  tree: ConfigTree,
  problems: ProblemCollector,
  owner = 'this section',
): { ok: true; value: z.output<S> } | { ok: false } {
  let candidate = input;
  for (let attempt = 0; ; attempt += 1) {
    let result: z.ZodSafeParseResult<z.output<S>>;
    try {
      result = schema.safeParse(candidate);
    } catch (error) {
      problems.at(prefix, `the schema of ${owner} threw${thrownMessage(error, candidate)}`, 'key', true);
      return { ok: false };
    }
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

/** Longer than this, an error message is more likely a dump of the input than a sentence. */
const MAX_THROWN_MESSAGE_LENGTH = 160;

/**
 * `: <message>` from what a schema threw: the first line of an Error's message when short,
 * with every value of the validated input blanked out (the collector then scrubs secrets
 * and environment values). Never a stack, never a thrown non-Error value, which could be
 * the input itself.
 */
function thrownMessage(error: unknown, input: unknown): string {
  if (!(error instanceof Error)) return ' a value that is not an Error';
  const line = (error.message.split('\n')[0] ?? '').trim();
  if (line === '' || line.length > MAX_THROWN_MESSAGE_LENGTH) return ' an error without a short message to show';
  return `: ${redact(line, scalarTexts(input))}`;
}

/** The text of every string and number in a value: what a message must not repeat. */
function scalarTexts(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string' || typeof value === 'number') found.add(String(value));
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) scalarTexts(item, found);
  }
  return found;
}
