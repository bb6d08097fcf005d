import { formatDuration, formatSize } from '../config/units.js';

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
