import { alignRows } from '../../exporters/console/table.js';
import { formatFigure } from '../../exporters/console/units.js';
import { formatDuration } from '../config/units.js';
import type { RangeQuery, RangeSeries } from '../history/reader.js';
import { isoTime } from '../model/iso-time.js';
import { sparkline } from './sparkline.js';

/** `check.type=http, aggregate=mean`; `(no attributes)` for a series that has none. */
export function attributesText(attributes: RangeSeries['attributes']): string {
  const pairs = Object.entries(attributes).map(([key, value]) => `${key}=${String(value)}`);
  return pairs.length === 0 ? '(no attributes)' : pairs.join(', ');
}

/** One value per step from `since` to `until`, undefined where the store answered none (a gap). */
export function stepSlots(series: RangeSeries, query: RangeQuery): Array<number | undefined> {
  const first = query.since;
  const count = Math.max(1, Math.ceil((query.until - first) / query.step));
  const slots = new Array<number | undefined>(count).fill(undefined);
  for (const point of series.points) {
    const slot = Math.floor((point.time - first) / query.step);
    // A step aligned before `since` (the store rounds steps to its own grid) still belongs to the first slot.
    slots[Math.min(count - 1, Math.max(0, slot))] = point.value;
  }
  return slots;
}

function figure(value: number, series: RangeSeries, query: RangeQuery): string {
  return formatFigure(value, series.unit, series.metric, query.aggregate);
}

function seriesBlock(series: RangeSeries, query: RangeQuery, sparkWidth: number | undefined): string {
  let text = `\n${attributesText(series.attributes)}  (${series.points.length} of ${Math.ceil((query.until - query.since) / query.step)} steps, from ${series.resolution})\n`;
  if (series.points.length === 0) return `${text}no points in this range\n`;
  if (sparkWidth !== undefined) {
    const values = series.points.map((point) => point.value);
    const low = figure(Math.min(...values), series, query);
    const high = figure(Math.max(...values), series, query);
    text += `${sparkline(stepSlots(series, query), sparkWidth)}  ${low} … ${high}\n`;
  }
  const rows = [['TIME', query.aggregate.toUpperCase()], ...series.points.map((point) => [isoTime(point.time), figure(point.value, series, query)])];
  return text + alignRows(rows, Infinity);
}

/**
 * `healthpipe history` for people: a title line (service, metric, aggregate per step, range),
 * then per series its attributes, on a terminal a sparkline of the range (gaps as spaces)
 * with its lowest and highest figure, and a table of time and value in the metric's unit.
 * `sparkWidth` is undefined when stdout is not a terminal.
 */
export function historyText(series: readonly RangeSeries[], query: RangeQuery, sparkWidth: number | undefined): string {
  const title = `${query.service} ${query.metric}: ${query.aggregate} per ${formatDuration(query.step)} from ${isoTime(query.since)} to ${isoTime(query.until)}`;
  if (series.length === 0) return `${title}\nno points in this range; a longer --since reaches older ones\n`;
  return `${title}\n${series.map((one) => seriesBlock(one, query, sparkWidth)).join('')}`;
}

/**
 * `healthpipe history --json`: one object; times ISO-8601, `step` in seconds, values in the
 * metric's unit (`unit`, as the store has it). Keys may be added later, never renamed or removed.
 */
export function historyJson(series: readonly RangeSeries[], query: RangeQuery): object {
  return {
    service: query.service,
    metric: query.metric,
    aggregate: query.aggregate,
    step: query.step / 1000,
    since: isoTime(query.since),
    until: isoTime(query.until),
    series: series.map((one) => ({
      attributes: one.attributes,
      unit: one.unit,
      resolution: one.resolution,
      points: one.points.map((point) => ({ time: isoTime(point.time), value: Number.isFinite(point.value) ? point.value : null })),
    })),
  };
}
