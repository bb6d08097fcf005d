/**
 * `json_path`: a small path into a JSON answer, dotted names and array indexes
 * (`status`, `checks[0].state`, `data.items[2]`, `["key with.dot"]`). Enough for the health
 * answers services give, without a JSONPath dependency; parsed once when the check is made.
 */

export type JsonPath = ReadonlyArray<string | number>;

const STEP = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/;

/** The steps of `written`, or the reason it is not a path. */
export function parseJsonPath(written: string): JsonPath | string {
  const steps: Array<string | number> = [];
  let rest = written.startsWith('$') ? written.slice(1) : written;
  if (rest === '') return 'the path is empty: write a field such as status or checks[0].state';
  while (rest !== '') {
    const match = STEP.exec(rest);
    if (match === null) return `cannot read "${rest}": write fields as name.name, indexes as [0], other keys as ["key"]`;
    if (match[1] !== undefined) steps.push(match[1]);
    else if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push((match[3] ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(match[0].length);
  }
  return steps;
}

/** The value at `path` in `document`; `found: false` when a step does not exist. */
export function valueAt(document: unknown, path: JsonPath): { found: true; value: unknown } | { found: false } {
  let current: unknown = document;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return { found: false };
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step)) {
        return { found: false };
      }
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}
