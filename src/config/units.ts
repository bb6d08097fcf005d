import { z } from 'zod';

/** Every duration unit, for parsing and for formatting: the one table. */
const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The units a duration is written back in, largest first (`1d` reads as `24h`). */
const FORMATTED_DURATION_UNITS = ['h', 'm', 's'] as const;

/** Every size unit, for parsing and for formatting: the one table. Sizes are written back in binary units only. */
const SIZE_UNITS = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;
const FORMATTED_SIZE_UNITS = ['GiB', 'MiB', 'KiB'] as const;

type DurationUnit = keyof typeof DURATION_UNITS;
type SizeUnit = keyof typeof SIZE_UNITS;

const DURATION = new RegExp(`^(\\d+(?:\\.\\d+)?)(${Object.keys(DURATION_UNITS).join('|')})$`);
const SIZE = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*(${Object.keys(SIZE_UNITS).join('|')})$`);

/**
 * The longest wait one Node timer can hold (2^31 − 1 ms, about 24.8 days). Node turns a
 * longer delay into 1 ms, so an interval past it fires about a thousand times a second;
 * a longer wait must be scheduled in steps.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const DAY_MS = DURATION_UNITS.d;

/**
 * What `duration()` accepts at most unless told otherwise: whole days under the timer
 * limit, so the bound can be written and read as it is (`24d`).
 */
export const DEFAULT_MAX_DURATION_MS = Math.floor(MAX_TIMER_MS / DAY_MS) * DAY_MS;
const DEFAULT_MAX_DURATION_REASON = 'one Node timer cannot wait longer (about 24.8 days)';

/** Parses `15s`, `5m`, `1h`, `250ms` into milliseconds; undefined when malformed or too large to be a number. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null) return undefined;
  return finite(Number(match[1]) * DURATION_UNITS[match[2] as DurationUnit]);
}

/** Parses `64MiB`, `512KB`, `100B` (`64 MiB` too) into bytes; undefined when malformed or too large to be a number. */
export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (match === null) return undefined;
  return finite(Math.round(Number(match[1]) * SIZE_UNITS[match[2] as SizeUnit]));
}

/** A 400-digit amount is Infinity to JavaScript: no timer or bound can use it. */
function finite(amount: number): number | undefined {
  return Number.isFinite(amount) ? amount : undefined;
}

/** Milliseconds as the largest unit that divides them exactly (`5m`), else in `ms`. */
export function formatDuration(ms: number): string {
  return inLargestUnit(ms, FORMATTED_DURATION_UNITS, DURATION_UNITS, 'ms');
}

/** A bound as a reader would write it: several whole days in days (`24d`, not `576h`). */
export function formatDurationBound(ms: number): string {
  return ms > DAY_MS && ms % DAY_MS === 0 ? `${ms / DAY_MS}d` : formatDuration(ms);
}

/** Bytes as the largest binary unit that divides them exactly (`64MiB`), else in `B`. */
export function formatSize(bytes: number): string {
  return inLargestUnit(bytes, FORMATTED_SIZE_UNITS, SIZE_UNITS, 'B');
}

function inLargestUnit<U extends string>(
  amount: number,
  units: readonly U[],
  factors: Readonly<Record<U, number>>,
  smallest: string,
): string {
  for (const unit of units) {
    const factor = factors[unit];
    if (amount >= factor && amount % factor === 0) return `${amount / factor}${unit}`;
  }
  return `${amount}${smallest}`;
}

export interface Bounds {
  /** The smallest accepted, in the parsed unit (ms, bytes); 0 when absent. */
  readonly min?: number;
  /** The largest accepted, in the parsed unit. */
  readonly max?: number;
  /** Why nothing larger makes sense, said in the problem: "a collection interval longer than a day …". */
  readonly maxReason?: string;
}

/** Duration bounds in ms, or as written in pipeline.yaml (`'24h'`), which reads better in a schema. */
export interface DurationBounds {
  readonly min?: number | string;
  readonly max?: number | string;
  readonly maxReason?: string;
}

function inMilliseconds(bounds: DurationBounds): Bounds {
  const ms = (bound: number | string | undefined): number | undefined => {
    if (typeof bound !== 'string') return bound;
    const parsed = parseDuration(bound);
    if (parsed === undefined) throw new Error(`duration(): the bound "${bound}" is not a duration such as 15s`);
    return parsed;
  };
  return { ...bounds, min: ms(bounds.min), max: ms(bounds.max) };
}

/**
 * A duration written as `15s`, `5m`, `1h`, `250ms`; the parsed value is milliseconds.
 * Every duration is bounded: without a `max`, at `DEFAULT_MAX_DURATION_MS` (24d, under
 * Node's timer limit), so no value reaches a timer that would fire at once. A user who
 * allows longer than `MAX_TIMER_MS` schedules the wait in steps. Bounds given here are
 * shown by the generated docs.
 */
export function duration(written: DurationBounds = {}) {
  const bounds = inMilliseconds(written);
  const max = bounds.max ?? DEFAULT_MAX_DURATION_MS;
  return measured(bounds, {
    format: 'duration',
    parse: parseDuration,
    syntax: DURATION,
    // Durations have no spaces at all: `15 s` is as wrong as ` 15s`.
    hasSpaces: (text) => /\s/.test(text),
    spaces: 'no spaces: write a duration as digits and a unit, such as 15s',
    malformed: 'expected a duration such as 500ms, 15s, 5m or 1h',
    tooSmall: (min) => `expected a duration of at least ${formatDuration(min)}`,
    tooLarge: `expected a duration of at most ${formatDurationBound(max)}: ${bounds.maxReason ?? DEFAULT_MAX_DURATION_REASON}`,
    max,
  });
}

/** A size written as `64MiB`, `512KB`, `100B`; the parsed value is bytes. */
export function size(bounds: Bounds = {}) {
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  const reason = bounds.maxReason === undefined ? '' : `: ${bounds.maxReason}`;
  return measured(bounds, {
    format: 'size',
    parse: parseSize,
    syntax: SIZE,
    // `64 MiB` is accepted; a space around the whole value is a slip (often a stray one in an env variable).
    hasSpaces: (text) => text !== text.trim(),
    spaces: 'no spaces before or after a size: write it as digits and a unit, such as 64MiB',
    malformed: 'expected a size such as 512KiB, 64MiB or 1GiB',
    tooSmall: (min) => `expected a size of at least ${formatSize(min)}`,
    tooLarge:
      bounds.max === undefined
        ? 'expected a size this agent can count in bytes exactly (under 8PiB)'
        : `expected a size of at most ${formatSize(max)}${reason}`,
    max,
  });
}

interface Measure {
  readonly format: 'duration' | 'size';
  readonly parse: (text: string) => number | undefined;
  readonly syntax: RegExp;
  readonly hasSpaces: (text: string) => boolean;
  readonly spaces: string;
  readonly malformed: string;
  readonly tooSmall: (min: number) => string;
  readonly tooLarge: string;
  readonly max: number;
}

/** A string read as an amount of a unit, with the one problem that says what to fix. Problems never repeat the value. */
function measured(bounds: Bounds, measure: Measure) {
  const min = bounds.min ?? 0;
  const problemOf = (text: string, amount: number | undefined): string | undefined => {
    if (measure.hasSpaces(text)) return measure.spaces;
    // Well-formed but not a finite number: hundreds of digits.
    if (amount === undefined) return measure.syntax.test(text) ? measure.tooLarge : measure.malformed;
    if (amount < min) return measure.tooSmall(min);
    if (amount > measure.max) return measure.tooLarge;
    return undefined;
  };
  return z
    .string()
    .meta({
      format: measure.format,
      ...(min > 0 ? { minimum: min } : {}),
      ...(bounds.max === undefined ? {} : { maximum: measure.max }),
    })
    .transform((text, ctx) => {
      const amount = measure.parse(text);
      const problem = problemOf(text, amount);
      if (problem === undefined && amount !== undefined) return amount;
      ctx.addIssue({ code: 'custom', message: problem ?? measure.malformed });
      return z.NEVER;
    });
}
