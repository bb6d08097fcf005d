import type { HttpCheckConfig } from './config.js';
import { parseJsonPath, valueAt, type JsonPath } from './json-path.js';

/** How much of an unexpected value from the body a message quotes. */
const QUOTED_LENGTH = 60;

/**
 * What a target expects of the body, compiled once when the check is made. `check` answers
 * the message of the first expectation the body fails, or undefined when it holds all.
 */
export interface BodyExpectations {
  check(body: string, complete: boolean): string | undefined;
}

/** The expectations of `config`, or undefined when it has none (the body is then discarded unread). */
export function bodyExpectations(config: HttpCheckConfig): BodyExpectations | undefined {
  const tests: Array<(body: string, complete: boolean) => string | undefined> = [];
  const { body_contains: contains, body_regex: regex, json_path: path, equals } = config;
  if (contains !== undefined) {
    tests.push((body) => (body.includes(contains) ? undefined : `body does not contain ${JSON.stringify(contains)}`));
  }
  if (regex !== undefined) {
    const pattern = new RegExp(regex);
    tests.push((body) => (pattern.test(body) ? undefined : `body does not match /${regex}/`));
  }
  if (path !== undefined) {
    const steps = parseJsonPath(path);
    if (typeof steps === 'string') throw new Error(`json_path passed the schema and is not a path: ${steps}`);
    tests.push((body, complete) => checkJson(body, complete, path, steps, equals));
  }
  if (tests.length === 0) return undefined;
  return {
    check(body, complete) {
      for (const test of tests) {
        const failed = test(body, complete);
        if (failed !== undefined) return failed;
      }
      return undefined;
    },
  };
}

function checkJson(body: string, complete: boolean, written: string, path: JsonPath, equals: HttpCheckConfig['equals']): string | undefined {
  if (!complete) return 'body is larger than max_body: cannot read it as JSON';
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  const found = valueAt(document, path);
  if (!found.found) return `${written} not found in the body`;
  if (equals === undefined || found.value === equals) return undefined;
  return `${written} is ${quote(found.value)}, expected ${JSON.stringify(equals)}`;
}

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > QUOTED_LENGTH ? `${text.slice(0, QUOTED_LENGTH)}…` : text;
}
