/**
 * A Nagios threshold range (PROTOCOLS.md §3): `[@]start:end`, inclusive; no start is 0,
 * an empty end is +∞, `~` is −∞. A value alerts when it lies outside the range, or inside
 * it when the range starts with `@`.
 */
export interface NagiosRange {
  readonly start: number;
  readonly end: number;
  readonly inside: boolean;
  /** The range as the user wrote it: shown to people instead of a number. */
  readonly text: string;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function bound(text: string, empty: number): number | undefined {
  if (text === '') return empty;
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The range, or a sentence saying what is wrong with it (never repeating the text). */
export function parseNagiosRange(written: string | number): NagiosRange | string {
  const text = String(written).trim();
  const inside = text.startsWith('@');
  const body = inside ? text.slice(1) : text;
  const colon = body.indexOf(':');
  const startText = colon === -1 ? '' : body.slice(0, colon);
  const endText = colon === -1 ? body : body.slice(colon + 1);
  if (colon === -1 && endText === '') return 'expected a Nagios range such as 10, 10:, ~:10, 10:20 or @10:20';
  const start = startText === '~' ? -Infinity : bound(startText, 0);
  const end = bound(endText, Infinity);
  if (start === undefined || end === undefined) return 'expected a Nagios range such as 10, 10:, ~:10, 10:20 or @10:20';
  if (start > end) return 'a Nagios range must not start after its end';
  return { start, end, inside, text };
}

/** True when `value` alerts against the range. */
export function breaches(range: NagiosRange, value: number): boolean {
  const within = value >= range.start && value <= range.end;
  return range.inside ? within : !within;
}

/** The end of the range nearest the value, for `HealthEvent.threshold`; NaN when neither end is finite. */
export function nearestEnd(range: NagiosRange, value: number): number {
  const { start, end } = range;
  if (!Number.isFinite(start)) return Number.isFinite(end) ? end : Number.NaN;
  if (!Number.isFinite(end)) return start;
  return Math.abs(value - start) <= Math.abs(value - end) ? start : end;
}
