import type { z } from 'zod';
import type { PathSegment } from './located.js';
import { allowedKeysAt, formatAt } from './schema-walk.js';
import { unknownName } from './suggest.js';
import { kindOf, valueAt } from './values.js';

type Issue = z.core.$ZodIssue;

/** A schema issue turned into what to say and where: relative to the validated value. */
export interface IssueReport {
  readonly path: PathSegment[];
  readonly message: string;
  readonly target: 'key' | 'value';
}

/**
 * Turns zod issues into one report per thing to fix. Messages say what was expected and
 * what kind of value was found, never the value itself (it may be a secret or come from
 * the environment). An unknown key gets one report at the key, listing the allowed keys.
 */
export function describeIssues(issues: readonly Issue[], schema: z.core.$ZodType, input: unknown): IssueReport[] {
  const reports: IssueReport[] = [];
  const visit = (issue: Issue, base: PathSegment[]): void => {
    const path = [...base, ...issue.path.filter(isSegment)];
    const written = valueAt(input, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(schema, path, written) ?? [];
        for (const key of issue.keys) {
          reports.push({
            path: [...path, key],
            message: unknownName(`unknown key "${key}"`, key, allowed, { label: 'allowed keys' }),
            target: 'key',
          });
        }
        return;
      }
      case 'invalid_union': {
        if (issue.errors.length === 0) {
          reports.push(unionWithoutBranches(issue, path, written));
          return;
        }
        const branch = bestBranch(issue.errors);
        if (branch !== undefined) {
          for (const inner of branch) visit(inner, path);
          return;
        }
        const expected = [
          ...new Set(issue.errors.flat().filter(isRootTypeIssue).map((inner) => expectedLabel(inner.expected))),
        ];
        const message =
          expected.length > 0
            ? `expected ${expected.join(' or ')}, got ${kindOf(written)}`
            : 'does not match any of the accepted forms';
        reports.push({ path, message, target: 'value' });
        return;
      }
      case 'invalid_type': {
        const missing = written === undefined && typeof path[path.length - 1] === 'string';
        if (missing) {
          reports.push({ path, message: `missing required key "${String(path[path.length - 1])}"`, target: 'key' });
        } else {
          const expected = expectedLabel(issue.expected, formatAt(schema, path));
          reports.push({ path, message: `expected ${expected}, got ${kindOf(written)}`, target: 'value' });
        }
        return;
      }
      case 'invalid_value':
        reports.push({
          path,
          message:
            issue.values.length === 1
              ? `expected ${JSON.stringify(issue.values[0])}`
              : `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`,
          target: 'value',
        });
        return;
      case 'invalid_key':
        reports.push({
          path,
          message: `invalid key: ${issue.issues.map((inner) => inner.message).join('; ')}`,
          target: 'key',
        });
        return;
      case 'too_small':
      case 'too_big':
        reports.push({ path, message: describeBound(issue), target: 'value' });
        return;
      default:
        reports.push({ path, message: issue.message, target: 'value' });
    }
  };
  for (const issue of issues) visit(issue, []);
  return reports;
}

/** A discriminated union whose tag is missing or unknown, or an exclusive union that matched twice. */
function unionWithoutBranches(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], written: unknown): IssueReport {
  const options = 'options' in issue ? issue.options : undefined;
  if (issue.inclusive !== false && options !== undefined && options.length > 0) {
    if (written === undefined && typeof path[path.length - 1] === 'string') {
      return { path, message: `missing required key "${String(path[path.length - 1])}"`, target: 'key' };
    }
    return { path, message: `expected one of ${options.map((option) => JSON.stringify(option)).join(', ')}`, target: 'value' };
  }
  return { path, message: issue.message, target: 'value' };
}

function isSegment(segment: PropertyKey): segment is PathSegment {
  return typeof segment === 'string' || typeof segment === 'number';
}

function isRootTypeIssue(issue: Issue): issue is z.core.$ZodIssueInvalidType {
  return issue.code === 'invalid_type' && issue.path.length === 0;
}

/**
 * Which alternative of a union the writer meant: the one that got furthest. A branch that
 * rejects the value's very type is not meant; among the rest, the fewest complaints wins.
 */
function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const branch of branches) {
    if (branch.length === 0 || branch.some(isRootTypeIssue)) continue;
    const score = branch.reduce((sum, issue) => sum + (issue.code === 'unrecognized_keys' ? issue.keys.length : 1), 0);
    if (score < bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'array':
    case 'set':
      return `expected ${small ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}`;
    case 'string':
      if (small && limit === 1) return 'must not be empty';
      return `expected ${small ? 'at least' : 'at most'} ${limit} character${limit === 1 ? '' : 's'}`;
    case 'number':
    case 'int':
    case 'bigint':
      return `expected a number ${small ? '>' : '<'}${inclusive ? '=' : ''} ${limit}`;
    default:
      return issue.message;
  }
}

const EXPECTED_LABELS: Record<string, string> = {
  object: 'a map',
  record: 'a map',
  map: 'a map',
  array: 'a list',
  tuple: 'a list',
  set: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'true or false',
  null: 'null',
  nonoptional: 'a value',
};

/** Durations and sizes are strings to zod, but the reader should hear what to write. */
const FORMAT_LABELS: Record<string, string> = {
  duration: 'a duration such as 500ms, 15s, 5m or 1h',
  size: 'a size such as 512KiB, 64MiB or 1GiB',
};

function expectedLabel(expected: string, format?: string): string {
  if (expected === 'string' && format !== undefined && FORMAT_LABELS[format] !== undefined) return FORMAT_LABELS[format];
  return EXPECTED_LABELS[expected] ?? expected;
}
