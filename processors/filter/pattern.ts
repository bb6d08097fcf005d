/**
 * A `match_type: regexp` pattern as the filter uses it: a JavaScript regular expression that
 * must match the whole text, as Prometheus' relabelling does (`cpu` does not match
 * `process.cpu.time`; write `.*cpu.*`). The schema compiles it the same way to report a bad one.
 */
export function anchored(pattern: string): RegExp | { problem: string } {
  try {
    // Compiled alone first, so a problem quotes the pattern as the user wrote it.
    new RegExp(pattern);
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
