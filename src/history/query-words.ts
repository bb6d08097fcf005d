/**
 * What `healthpipe history` and `/api/history` share about a question to the history: how
 * many steps one answer holds, and how an attribute filter is written.
 */

/**
 * A table or chart of more steps than this is no longer read by anyone (the reader's own bound,
 * MAX_RANGE_STEPS, is wider): 10,000 steps is a week at 1m, a day at 10s.
 */
export const MAX_ANSWER_STEPS = 10_000;

/** `key=value` (the value may hold `=`) as [key, value]; undefined when there is no key. */
export function attributeFilter(written: string): [string, string] | undefined {
  const at = written.indexOf('=');
  return at <= 0 ? undefined : [written.slice(0, at), written.slice(at + 1)];
}
