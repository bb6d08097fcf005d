/**
 * `expect_status`: the statuses a target may answer, written as ranges and single codes
 * separated by commas ("200-299,301"). Parsed once when the check is made into a list of
 * ranges, so a check compares a number against a few bounds.
 */

const PART = /^(\d{3})(?:-(\d{3}))?$/;

export type StatusRanges = ReadonlyArray<readonly [number, number]>;

/** The ranges of `written`, or the reason it is not a status list. */
export function parseExpectStatus(written: string): StatusRanges | string {
  const ranges: Array<readonly [number, number]> = [];
  for (const raw of written.split(',')) {
    const part = raw.trim();
    const match = PART.exec(part);
    if (match === null) return `"${part}" is not a status code (100-599) or a range of them such as 200-299`;
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (low < 100 || high > 599) return `"${part}" is outside the status codes 100-599`;
    if (high < low) return `"${part}" ends before it starts`;
    ranges.push([low, high]);
  }
  return ranges;
}

export function statusExpected(ranges: StatusRanges, status: number): boolean {
  for (const [low, high] of ranges) if (status >= low && status <= high) return true;
  return false;
}
