import { EVENT_TEXT_LIMITS, eventText, isoTime } from '../../src/index.js';
import type { Attributes, EventBatch, HealthEvent, MetricBatch } from '../../src/index.js';
import { DEFAULT_WIDTH, fitLine } from './fit.js';
import { LEFT, foldedValues, type AttributeSet } from './folded-row.js';
import type { BatchFormat } from './format.js';
import { formatFigure } from './units.js';
import { formatValue } from './value.js';

export { formatValue } from './value.js';

const GAP = '  ';
const AGGREGATE = 'aggregate';
/** A service name longer than this is cut, so the metric and its figures stay on the line. */
const SERVICE_WIDTH = 24;

/** Pads every column but the last to its widest cell and cuts each line to `width`. */
export function alignRows(rows: readonly (readonly string[])[], width: number): string {
  // A loop, not Math.max(...cells): spreading a batch of a few hundred thousand rows overflows the stack.
  const widths: number[] = [];
  for (const row of rows) {
    for (let column = 0; column < row.length - 1; column += 1) widths[column] = Math.max(widths[column] ?? 0, row[column]!.length);
  }
  let text = '';
  for (const row of rows) {
    const cells = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)));
    text += `${fitLine(cells.join(GAP).trimEnd(), width)}\n`;
  }
  return text;
}

interface MetricRow {
  readonly service: string;
  readonly metric: string;
  /** By the attributes' text, aggregate left out: a window's figures of one series share a set. */
  readonly sets: Map<string, AttributeSet>;
}

/** The attributes without `aggregate`, and their text as the set's key. */
function attributeSetOf(attributes: Attributes): [string, Attributes] {
  if (!Object.hasOwn(attributes, AGGREGATE)) return [JSON.stringify(attributes), attributes];
  const { [AGGREGATE]: _aggregate, ...rest } = attributes;
  return [JSON.stringify(rest), rest];
}

function serviceCell(name: string): string {
  return fitLine(name, SERVICE_WIDTH);
}

/**
 * A header line with the batch's time and counts, then one row per service instance and
 * metric: every series of the metric folded into the row (`system.memory.state: used
 * 1.5 GiB | free 22.1 GiB`), a window's aggregates side by side (`mean 12.3%, max 50.0%`),
 * figures in their unit as people read it, each line cut to `width`. A series whose source
 * left (a staleness marker) shows `left` once instead of a figure, so a person sees the
 * process end rather than its row vanish.
 */
export function pointTable(batch: MetricBatch, width: number = DEFAULT_WIDTH): string {
  let latest = -Infinity;
  let partial = 0;
  let left = 0;
  const rows = new Map<string, MetricRow>();
  for (const point of batch) {
    if (point.time > latest) latest = point.time;
    if (point.partial === true) partial += 1;
    if (point.stale === true) left += 1;
    const series = point.series;
    const rowKey = `${series.resource.key}\u0000${series.name}`;
    let row = rows.get(rowKey);
    if (row === undefined) {
      row = { service: serviceCell(series.resource.serviceName), metric: series.name, sets: new Map() };
      rows.set(rowKey, row);
    }
    const [setKey, attributes] = attributeSetOf(series.attributes);
    let set = row.sets.get(setKey);
    if (set === undefined) {
      set = { attributes, figures: new Map() };
      row.sets.set(setKey, set);
    }
    const aggregate = series.attributes[AGGREGATE];
    const figure = point.stale === true ? LEFT : formatFigure(point.value, series.unit, series.name, aggregate === undefined ? undefined : String(aggregate));
    set.figures.set(aggregate === undefined ? '' : String(aggregate), figure);
  }
  const lines: string[][] = [['SERVICE', 'METRIC', 'VALUES']];
  for (const row of rows.values()) lines.push([row.service, row.metric, foldedValues([...row.sets.values()], width)]);
  const measured = batch.length - left;
  // Partial figures (a window cut short by a stop) are counted in the header, not per row:
  // a stop flushes every open window at once, so they come as a batch of their own.
  const counts = [`${measured} ${measured === 1 ? 'point' : 'points'}`];
  if (partial > 0) counts.push(`${partial} partial`);
  if (left > 0) counts.push(`${left} left`);
  return `${fitLine(`${isoTime(latest)}${GAP}${counts.join(', ')}`, width)}\n${alignRows(lines, width)}\n`;
}

/** The threshold as the rule wrote it (`10:20`, `@~:5`) when it was written, else the number. */
function formatThreshold(event: HealthEvent): string {
  return event.thresholdText ?? formatValue(event.threshold);
}

/**
 * One line per event: time, level, service, rule, state, value/threshold, message; aligned
 * within the batch, cut to `width`. The message is cleaned again (healthEvent already did)
 * because this goes to a terminal, and an event built by hand could carry an escape sequence.
 */
export function eventTable(batch: EventBatch, width: number = DEFAULT_WIDTH): string {
  const rows = batch.map((event) => [
    isoTime(event.time),
    event.level.toUpperCase(),
    event.service,
    event.rule,
    event.state,
    `${formatValue(event.value)}/${formatThreshold(event)}`,
    event.message === undefined ? '' : eventText(event.message, EVENT_TEXT_LIMITS.message),
  ]);
  return alignRows(rows, width);
}

export const table: BatchFormat = { metrics: pointTable, alerts: eventTable };
