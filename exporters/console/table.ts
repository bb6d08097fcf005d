import { EVENT_TEXT_LIMITS, eventText } from '../../src/index.js';
import type { Attributes, EventBatch, HealthEvent, MetricBatch } from '../../src/index.js';
import { isoTime, type BatchFormat } from './format.js';

const GAP = '  ';

/** Short enough for a column, exact for integers: 0.1235, 12.35, 1234.6, 123456789. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1000) return String(Math.round(value * 10) / 10);
  return String(Number(value.toPrecision(4)));
}

/** Attributes as `key=value,…`, leaving out `aggregate`, which the table shows as a column. */
function formatAttributes(attributes: Attributes): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (key !== AGGREGATE) pairs.push(`${key}=${String(value)}`);
  }
  return pairs.length === 0 ? '-' : pairs.join(',');
}

const AGGREGATE = 'aggregate';
const PLAIN_COLUMN = 'value';

type Align = 'left' | 'right';

/** Pads every column to its widest cell; the last column is not padded, so no line ends in spaces. */
function alignRows(rows: readonly (readonly string[])[], align: readonly Align[]): string {
  // A loop, not Math.max(...cells): spreading a batch of a few hundred thousand rows overflows the stack.
  const widths = align.map(() => 0);
  for (const row of rows) {
    for (let column = 0; column < widths.length; column += 1) widths[column] = Math.max(widths[column]!, row[column]!.length);
  }
  let text = '';
  for (const row of rows) {
    const cells = row.map((cell, column) => {
      if (column === row.length - 1 && align[column] === 'left') return cell;
      return align[column] === 'right' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!);
    });
    text += `${cells.join(GAP).trimEnd()}\n`;
  }
  return text;
}

interface PointRow {
  readonly cells: readonly string[];
  readonly unit: string;
  readonly values: Map<string, string>;
}

/**
 * A header line with the batch's time, then one aligned row per series. The window's
 * aggregates of one series (`aggregate=mean`, `max`, …) share a row, one column each, so a
 * person reads a series across, not down.
 */
export function pointTable(batch: MetricBatch): string {
  let latest = -Infinity;
  let partial = 0;
  const columns: string[] = [];
  const rows = new Map<string, PointRow>();
  for (const point of batch) {
    if (point.time > latest) latest = point.time;
    if (point.partial === true) partial += 1;
    const series = point.series;
    const column = String(series.attributes[AGGREGATE] ?? PLAIN_COLUMN);
    if (!columns.includes(column)) columns.push(column);
    const cells = [series.resource.serviceName, series.name, formatAttributes(series.attributes)];
    const key = `${series.resource.key}\u0000${cells[1]}\u0000${cells[2]}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = { cells, unit: series.unit, values: new Map() };
      rows.set(key, row);
    }
    row.values.set(column, formatValue(point.value));
  }
  const header = ['SERVICE', 'METRIC', 'ATTRIBUTES', ...columns.map((column) => column.toUpperCase()), 'UNIT'];
  const lines: string[][] = [header];
  for (const row of rows.values()) {
    lines.push([...row.cells, ...columns.map((column) => row.values.get(column) ?? ''), row.unit]);
  }
  const align: Align[] = ['left', 'left', 'left', ...columns.map((): Align => 'right'), 'left'];
  // Partial figures (a window cut short by a stop) are counted in the header, not per row:
  // a stop flushes every open window at once, so they come as a batch of their own.
  const count = `${batch.length} ${batch.length === 1 ? 'point' : 'points'}${partial > 0 ? `, ${partial} partial` : ''}`;
  return `${isoTime(latest)}${GAP}${count}\n${alignRows(lines, align)}\n`;
}

const EVENT_ALIGN: readonly Align[] = ['left', 'left', 'left', 'left', 'left', 'left', 'left'];

/** The threshold as the rule wrote it (`10:20`, `@~:5`) when it was written, else the number. */
function formatThreshold(event: HealthEvent): string {
  return event.thresholdText ?? formatValue(event.threshold);
}

/**
 * One line per event: time, level, service, rule, state, value/threshold, message; aligned
 * within the batch. The message is cleaned again (healthEvent already did) because this
 * goes to a terminal, and an event built by hand could carry an escape sequence.
 */
export function eventTable(batch: EventBatch): string {
  const rows = batch.map((event) => [
    isoTime(event.time),
    event.level.toUpperCase(),
    event.service,
    event.rule,
    event.state,
    `${formatValue(event.value)}/${formatThreshold(event)}`,
    event.message === undefined ? '' : eventText(event.message, EVENT_TEXT_LIMITS.message),
  ]);
  return alignRows(rows, EVENT_ALIGN);
}

export const table: BatchFormat = { metrics: pointTable, alerts: eventTable };
