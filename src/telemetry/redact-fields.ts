import { redact } from '../config/secrets.js';

/** A log field is never legitimately deeper than this; past it the walk stops instead of recursing forever. */
const MAX_DEPTH = 8;
const TOO_DEEP = '[too deep]';
const CIRCULAR = '[circular]';
const REDACTED = '***';

/**
 * A copy of a log record's value that JSON can write and that holds no secret. The walk
 * runs on values, before serialisation: a secret with a quote or a backslash is found as
 * written, not as JSON escapes it, and a number whose decimal text is a secret is blanked
 * too. An Error keeps its name, message, code and cause (each redacted, the cause chain
 * bounded); a cycle or a structure deeper than MAX_DEPTH is cut with a marker.
 */
export function redactFields(value: unknown, secrets: ReadonlySet<string>): unknown {
  return walk(value, secrets, 0, new Set());
}

function walk(value: unknown, secrets: ReadonlySet<string>, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
      return secrets.size === 0 ? value : redact(value, secrets);
    case 'number':
      return secrets.has(String(value)) ? REDACTED : value;
    // JSON.stringify throws on a bigint: its decimal text is the value.
    case 'bigint':
      return secrets.has(String(value)) ? REDACTED : String(value);
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (ancestors.has(value)) return CIRCULAR;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  ancestors.add(value);
  try {
    return walkObject(value, secrets, depth + 1, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function walkObject(value: object, secrets: ReadonlySet<string>, depth: number, ancestors: Set<object>): unknown {
  const next = (item: unknown): unknown => walk(item, secrets, depth, ancestors);
  if (value instanceof Error) return errorFields(value, next);
  if (Array.isArray(value)) return value.map(next);
  // What JSON.stringify would write for a Date (and any other toJSON), redacted.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return next(toJSON.call(value));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = next(item);
  return copy;
}

/** `{name, message, code?, cause?}`: the code and the cause are what a reader needs to act. */
function errorFields(error: Error, next: (item: unknown) => unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: next(error.message) };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields['code'] = next(code);
  if (error.cause !== undefined) fields['cause'] = next(error.cause);
  return fields;
}
