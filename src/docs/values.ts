import { formatDuration } from '../config/units.js';

const SIZE_UNITS = [
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
] as const;

/** Bytes as the largest binary unit that divides them exactly (`64MiB`), else in `B`. */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of SIZE_UNITS) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes}B`;
}

/**
 * A default written the way a user writes it in pipeline.yaml: plain scalars, flow lists and
 * maps, and parsed durations or sizes (a default given as milliseconds or bytes) back in
 * their unit.
 */
export function renderValue(value: unknown, format?: string): string {
  if (typeof value === 'number' && format === 'duration') return formatDuration(value);
  if (typeof value === 'number' && format === 'size') return formatSize(value);
  if (typeof value === 'string') return scalar(value);
  if (Array.isArray(value)) return `[${value.map((item) => renderValue(item)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${scalar(key)}: ${renderValue(item)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return String(value);
}

/** Quotes a string only where YAML would read it as something else. */
function scalar(text: string): string {
  const ambiguous =
    text === '' ||
    text !== text.trim() ||
    /^(true|false|yes|no|on|off|null|~|[-+]?\d[\d_.]*(e[-+]?\d+)?)$/i.test(text) ||
    /^[-?:,[\]{}#&*!|>'"%@`]/.test(text) ||
    /: | #|[,[\]{}]/.test(text);
  return ambiguous ? JSON.stringify(text) : text;
}
