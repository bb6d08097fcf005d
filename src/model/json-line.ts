import type { HealthEvent } from './event.js';
import { isoTime } from './iso-time.js';
import type { MetricPoint } from './point.js';
import type { Series } from './series.js';

// The one JSON line of a point and of an event (DESIGN.md, "Console JSON"): the console
// exporter prints it, the file exporter appends it, a plugin writing lines writes the same.

interface SeriesJson {
  /** `"name":…,` — everything between the time and the value. */
  readonly head: string;
  /** `,"unit":…,"attributes":…,"resource":…` — everything after the value but the closing brace. */
  readonly tail: string;
}

// A series' name, unit, attributes and resource never change, so they are serialised once per
// series rather than per point. Weak: the entry goes when the receiver drops the series.
const seriesJson = new WeakMap<Series, SeriesJson>();

function jsonOf(series: Series): SeriesJson {
  let json = seriesJson.get(series);
  if (json === undefined) {
    json = {
      head: `"name":${JSON.stringify(series.name)},`,
      tail: `,"unit":${JSON.stringify(series.unit)},"attributes":${JSON.stringify(series.attributes)},"resource":${JSON.stringify(series.resource.attributes)}`,
    };
    seriesJson.set(series, json);
  }
  return json;
}

/**
 * `{"time","name","value","unit","attributes","resource"}`, as DESIGN.md's "Console JSON" fixes
 * it, then `"partial":true` for the figures of a window flushed before its end and the
 * measurement's `"message"` (a plugin's first line) when it has one.
 */
export function pointLine(point: MetricPoint): string {
  const { head, tail } = jsonOf(point.series);
  // JSON.stringify writes NaN and ±Infinity as null, keeping every line valid JSON.
  const partial = point.partial === true ? ',"partial":true' : '';
  const message = point.message === undefined ? '' : `,"message":${JSON.stringify(point.message)}`;
  return `{"time":"${isoTime(point.time)}",${head}"value":${JSON.stringify(point.value)}${tail}${partial}${message}}`;
}

/**
 * DESIGN.md's fields in its order; `threshold_text` after `threshold`, and `message`,
 * `annotations` and `flapping` after `labels`, only when the event has them, so a line
 * without them is exactly the documented base.
 */
export function eventLine(event: HealthEvent): string {
  return JSON.stringify({
    kind: 'alert',
    time: new Date(event.time).toISOString(),
    fingerprint: event.fingerprint,
    service: event.service,
    rule: event.rule,
    level: event.level,
    previous_level: event.previousLevel,
    state: event.state,
    value: event.value,
    threshold: event.threshold,
    ...(event.thresholdText === undefined ? {} : { threshold_text: event.thresholdText }),
    labels: event.labels,
    ...(event.message === undefined ? {} : { message: event.message }),
    ...(event.annotations === undefined ? {} : { annotations: event.annotations }),
    ...(event.flapping === true ? { flapping: true } : {}),
  });
}
