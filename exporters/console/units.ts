import { formatValue } from './value.js';

const BINARY_PREFIXES = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** `512 B`, `117.7 MiB`: bytes as people read them, one decimal past a kibibyte. */
export function formatBytes(bytes: number): string {
  let scaled = Math.abs(bytes);
  if (scaled < 1024) return `${formatValue(bytes)} B`;
  let prefix = 0;
  scaled /= 1024;
  while (scaled >= 1024 && prefix < BINARY_PREFIXES.length - 1) {
    scaled /= 1024;
    prefix += 1;
  }
  return `${bytes < 0 ? '-' : ''}${scaled.toFixed(1)} ${BINARY_PREFIXES[prefix]}`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Two units, the larger first: `3m 05s`, `2h 44m`, `12d 03h`. */
function twoUnits(seconds: number, large: number, largeName: string, small: number, smallName: string): string {
  const whole = Math.floor(seconds / large);
  const rest = Math.floor((seconds - whole * large) / small);
  return `${whole}${largeName} ${String(rest).padStart(2, '0')}${smallName}`;
}

/** `850 µs`, `4.2 ms`, `12.35 s`, `3m 05s`, `2h 44m`, `12d 03h`. */
export function formatSeconds(seconds: number): string {
  const size = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (size === 0) return '0 s';
  if (size < 1e-3) return `${formatValue(seconds * 1e6)} µs`;
  if (size < 1) return `${formatValue(seconds * 1e3)} ms`;
  if (size < MINUTE) return `${formatValue(seconds)} s`;
  if (size < HOUR) return sign + twoUnits(size, MINUTE, 'm', 1, 's');
  if (size < DAY) return sign + twoUnits(size, HOUR, 'h', MINUTE, 'm');
  return sign + twoUnits(size, DAY, 'd', HOUR, 'h');
}

/**
 * A share (0..1) by its name: OpenTelemetry's `*.utilization` metrics, whose unit is `1` (or
 * none). The name decides, not the value: `healthcheck.up` is `1` and 0..1 too, but it says
 * yes or no, and `100%` would misread it.
 */
export function isShare(name: string, unit: string): boolean {
  return (unit === '1' || unit === '') && name.endsWith('.utilization');
}

/**
 * A value with its unit, for people: bytes in KiB/MiB/GiB, shares in percent, seconds in
 * the largest sensible unit; a bare count (`1`, `{packet}`) as a number; any other unit
 * after the number. A window's `count` is a number of points, whatever the metric's unit.
 */
export function formatFigure(value: number, unit: string, name: string, aggregate?: string): string {
  if (!Number.isFinite(value) || aggregate === 'count') return formatValue(value);
  if (isShare(name, unit)) return `${(value * 100).toFixed(1)}%`;
  switch (unit) {
    case 'By':
      return formatBytes(value);
    case 'By/s':
      return `${formatBytes(value)}/s`;
    case 's':
      return formatSeconds(value);
    case 'ms':
      return formatSeconds(value / 1e3);
    case '1':
    case '':
      return formatValue(value);
    default:
      // A UCUM annotation alone (`{packet}`, `{error}`) is a count: the metric's name says of what.
      return /^\{[^}]*\}$/.test(unit) ? formatValue(value) : `${formatValue(value)} ${unit}`;
  }
}
