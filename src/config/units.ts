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

/** Parses `15s`, `5m`, `1h`, `250ms` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * DURATION_UNITS[match[2] as DurationUnit];
}

/** Parses `64MiB`, `512KB`, `100B` into bytes; undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2] as SizeUnit]);
}

/** Milliseconds as the largest unit that divides them exactly (`5m`), else in `ms`. */
export function formatDuration(ms: number): string {
  return inLargestUnit(ms, FORMATTED_DURATION_UNITS, DURATION_UNITS, 'ms');
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

/** A duration written as `15s`, `5m`, `1h`, `250ms`; the parsed value is milliseconds. */
export function duration(options: { min?: number } = {}) {
  const min = options.min ?? 0;
  return z
    .string()
    .meta({ format: 'duration' })
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration such as 500ms, 15s, 5m or 1h' });
        return z.NEVER;
      }
      if (ms < min) {
        ctx.addIssue({ code: 'custom', message: `expected a duration of at least ${formatDuration(min)}` });
        return z.NEVER;
      }
      return ms;
    });
}

/** A size written as `64MiB`, `512KB`, `100B`; the parsed value is bytes. */
export function size() {
  return z
    .string()
    .meta({ format: 'size' })
    .transform((text, ctx) => {
      const bytes = parseSize(text);
      if (bytes === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a size such as 512KiB, 64MiB or 1GiB' });
        return z.NEVER;
      }
      return bytes;
    });
}
