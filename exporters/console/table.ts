import type { EventBatch } from '../../src/model/event.js';
import type { MetricBatch } from '../../src/model/point.js';
import type { Attributes } from '../../src/model/series.js';
import { isoTime, type BatchFormat } from './format.js';

const GAP = '  ';

/** Short enough for a column, exact for integers: 0.1235, 12.35, 1234.6, 123456789. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1000) return String(Math.round(value * 10) / 10);
  return String(Number(value.toPrecision(4)));
}

function formatAttributes(attributes: Attributes): string {
  const pairs = Object.entries(attributes).map(([key, value]) => `${key}=${String(value)}`);
  return pairs.length === 0 ? '-' : pairs.join(',');
}

type Align = 'left' | 'right';

/** Pads every column to its widest cell; the last column is not padded, so no line ends in spaces. */
function alignRows(rows: readonly (readonly string[])[], align: readonly Align[]): string {
  const widths = align.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
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

const POINT_HEADER = ['SERVICE', 'METRIC', 'ATTRIBUTES', 'VALUE', 'UNIT'];
const POINT_ALIGN: readonly Align[] = ['left', 'left', 'left', 'right', 'left'];

/** A header line with the batch's time, then one aligned row per point, then a blank line. */
export function pointTable(batch: MetricBatch): string {
  let latest = -Infinity;
  const rows: string[][] = [POINT_HEADER];
  for (const point of batch) {
    if (point.time > latest) latest = point.time;
    const series = point.series;
    rows.push([series.resource.serviceName, series.name, formatAttributes(series.attributes), formatValue(point.value), series.unit]);
  }
  const count = `${batch.length} ${batch.length === 1 ? 'point' : 'points'}`;
  return `${isoTime(latest)}${GAP}${count}\n${alignRows(rows, POINT_ALIGN)}\n`;
}

const EVENT_ALIGN: readonly Align[] = ['left', 'left', 'left', 'left', 'left', 'left'];

/** One line per event: time, level, service, rule, state, value/threshold; aligned within the batch. */
export function eventTable(batch: EventBatch): string {
  const rows = batch.map((event) => [
    isoTime(event.time),
    event.level.toUpperCase(),
    event.service,
    event.rule,
    event.state,
    `${formatValue(event.value)}/${formatValue(event.threshold)}`,
  ]);
  return alignRows(rows, EVENT_ALIGN);
}

export const table: BatchFormat = { metrics: pointTable, alerts: eventTable };
