import { z } from 'zod';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/;

/** Parses `15s`, `5m`, `1h`, `250ms` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * (DURATION_UNITS[match[2]!] ?? Number.NaN);
}

export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * (SIZE_UNITS[match[2]!] ?? Number.NaN));
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
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
